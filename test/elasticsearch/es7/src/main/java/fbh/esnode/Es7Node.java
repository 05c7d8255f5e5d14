package fbh.esnode;

import java.util.ArrayList;
import java.util.List;

import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

/**
 * Starts ONE embedded Elasticsearch 7.10.2 node (org.codelibs elasticsearch-cluster-runner) for tests.
 *
 * Usage: Es7Node --base DIR [--port P] [-E key=value]...
 *   --base DIR  node home; data under DIR/node_1/data, logs under DIR/node_1/logs
 *   --port P    HTTP port on 127.0.0.1 (default: $FBH_ES_PORT or 9200)
 *   -E k=v      any node setting, e.g. -E thread_pool.write.queue_size=1
 * Stops cleanly on SIGTERM/SIGINT (shutdown hook closes the node).
 */
public final class Es7Node {
    private Es7Node() {
    }

    public static void main(final String[] args) throws Exception {
        String base = null;
        String port = System.getenv().getOrDefault("FBH_ES_PORT", "9200");
        final List<String[]> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            final String a = args[i];
            if ("--base".equals(a) && i + 1 < args.length) {
                base = args[++i];
            } else if ("--port".equals(a) && i + 1 < args.length) {
                port = args[++i];
            } else if ("-E".equals(a) && i + 1 < args.length) {
                final String kv = args[++i];
                final int eq = kv.indexOf('=');
                if (eq <= 0) {
                    die("bad -E " + kv + " (want key=value)");
                }
                extra.add(new String[] { kv.substring(0, eq), kv.substring(eq + 1) });
            } else {
                die("unknown argument: " + a);
            }
        }
        if (base == null) {
            die("--base DIR is required");
        }
        final int httpPort = Integer.parseInt(port);
        final String dir = base;

        final ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        runner.setMaxHttpPort(-1); // we set http.port ourselves: no port scanning
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final Exception e) {
                System.err.println("close failed: " + e);
            }
        }, "fbh-es-shutdown"));

        runner.onBuild((number, settings) -> {
            settings.put("node.name", "fbh-test-node");
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", httpPort);
            settings.put("transport.port", "9300-9399");
            settings.put("discovery.type", "single-node");
            settings.putList("node.roles", "master", "data", "ingest");
            // tests must not flip indices to read-only on a full-ish disk
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            settings.put("action.auto_create_index", true);
            for (final String[] kv : extra) {
                settings.put(kv[0], kv[1]);
            }
        }).build(ElasticsearchClusterRunner.newConfigs()
                .basePath(dir)
                .numOfNode(1)
                .baseHttpPort(httpPort - 1)
                .clusterName("fbh-test"));

        runner.ensureYellow();
        // Elasticsearch 7 has no cluster.default_number_of_replicas: indices keep one
        // replica, unassigned on a single node, so they are yellow, which is enough
        // for every write and read.
        System.out.println("FBH-ES READY http://127.0.0.1:" + httpPort);
        System.out.flush();
        while (!runner.isClosed()) {
            Thread.sleep(1000);
        }
    }

    private static void die(final String msg) {
        System.err.println("Es7Node: " + msg);
        System.exit(2);
    }
}
