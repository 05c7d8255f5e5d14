package fbh.esnode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The command line and the node settings shared by EsNode (OpenSearch) and Es7Node
 * (Elasticsearch 7.10.2), whose runners have the same shape but other packages.
 * es7/ holds a link to this file.
 *
 * Usage: NAME --base DIR [--port P] [-E key=value]...
 *   --base DIR  node home; data under DIR/node_1/data, logs under DIR/node_1/logs
 *   --port P    HTTP port on 127.0.0.1 (default: $FBH_ES_PORT or 9200)
 *   -E k=v      any node setting, e.g. -E thread_pool.write.queue_size=1
 */
final class NodeArgs {
    final String base;
    final int port;
    private final List<String[]> extra;

    private NodeArgs(final String base, final int port, final List<String[]> extra) {
        this.base = base;
        this.port = port;
        this.extra = extra;
    }

    static NodeArgs parse(final String name, final String[] args) {
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
                    die(name, "bad -E " + kv + " (want key=value)");
                }
                extra.add(new String[] { kv.substring(0, eq), kv.substring(eq + 1) });
            } else {
                die(name, "unknown argument: " + a);
            }
        }
        if (base == null) {
            die(name, "--base DIR is required");
        }
        return new NodeArgs(base, Integer.parseInt(port), extra);
    }

    /** The settings of the one node: ours, then every -E (which win). */
    List<String[]> settings() {
        final List<String[]> s = new ArrayList<>();
        s.add(new String[] { "node.name", "fbh-test-node" });
        s.add(new String[] { "network.host", "127.0.0.1" });
        s.add(new String[] { "http.port", Integer.toString(port) });
        s.add(new String[] { "transport.port", "9300-9399" });
        s.add(new String[] { "discovery.type", "single-node" });
        // tests must not flip indices to read-only on a full-ish disk
        s.add(new String[] { "cluster.routing.allocation.disk.threshold_enabled", "false" });
        s.add(new String[] { "action.auto_create_index", "true" });
        s.addAll(extra);
        return s;
    }

    /** The value of an -E setting, or def. */
    String setting(final String key, final String def) {
        String v = def;
        for (final String[] kv : extra) {
            if (key.equals(kv[0])) {
                v = kv[1];
            }
        }
        return v;
    }

    /** Says the node is ready (start.sh waits for this line), then waits until it is closed. */
    void serve(final BooleanSupplier closed) throws InterruptedException {
        System.out.println("FBH-ES READY http://127.0.0.1:" + port);
        System.out.flush();
        while (!closed.getAsBoolean()) {
            Thread.sleep(1000);
        }
    }

    /** A shutdown hook that closes the node on SIGTERM/SIGINT. */
    static void closeOnExit(final AutoCloseable node) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (final Exception e) {
                System.err.println("close failed: " + e);
            }
        }, "fbh-es-shutdown"));
    }

    private static void die(final String name, final String msg) {
        System.err.println(name + ": " + msg);
        System.exit(2);
    }
}
