package fbh.esnode;

import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

/**
 * Starts ONE embedded Elasticsearch 7.10.2 node (org.codelibs elasticsearch-cluster-runner)
 * for tests; see NodeArgs for the command line. Stops cleanly on SIGTERM/SIGINT.
 */
public final class Es7Node {
    private Es7Node() {
    }

    public static void main(final String[] args) throws Exception {
        final NodeArgs a = NodeArgs.parse("Es7Node", args);
        final ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        runner.setMaxHttpPort(-1); // we set http.port ourselves: no port scanning
        NodeArgs.closeOnExit(runner);
        runner.onBuild((number, settings) -> {
            settings.putList("node.roles", "master", "data", "ingest");
            for (final String[] kv : a.settings()) {
                settings.put(kv[0], kv[1]);
            }
        }).build(ElasticsearchClusterRunner.newConfigs().basePath(a.base).numOfNode(1)
                .baseHttpPort(a.port - 1).clusterName("fbh-test"));
        runner.ensureYellow();
        // Elasticsearch 7 has no cluster.default_number_of_replicas: indices keep one
        // replica, unassigned on a single node, so they are yellow, which is enough
        // for every write and read.
        a.serve(runner::isClosed);
    }
}
