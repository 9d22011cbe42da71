package org.kronika.services;

import static org.codelibs.opensearch.runner.OpenSearchRunner.newConfigs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.Version;

/**
 * One OpenSearch node for Kronika's service-tier tests, embedded in this JVM.
 *
 * <p>It listens on 127.0.0.1 only (HTTP port from {@code kronika.http.port}, default 9201),
 * keeps its data under {@code kronika.base.path} and loads the runner's standard modules, which
 * include analysis-common (asciifolding, edge_ngram, stemmers...). SIGTERM closes the node
 * cleanly through a shutdown hook. Started and stopped by scripts/services/opensearch.sh.
 *
 * <p>Alone by default (single-node discovery). With {@code kronika.seed.hosts} (host:port of
 * the other nodes' transport) it joins a cluster of several JVMs instead: it is named
 * {@code kronika.node.name}, holds data, and is eligible as cluster manager unless
 * {@code kronika.node.manager} is false; {@code kronika.initial.managers} names the nodes
 * that elect the first cluster manager (scripts/services/opensearch-cluster.sh).
 */
public final class SearchNode {

    /** Classes the Kronika mappings depend on; missing ones fail the start loudly. */
    private static final String[] REQUIRED_MODULES = {
        "org.opensearch.analysis.common.CommonAnalysisModulePlugin",
        "org.opensearch.transport.Netty4ModulePlugin",
    };

    private SearchNode() {}

    public static void main(final String[] args) throws Exception {
        final String basePath = System.getProperty("kronika.base.path");
        if (basePath == null || basePath.isBlank()) {
            fail("set -Dkronika.base.path to the node's data directory");
        }
        final String host = System.getProperty("kronika.http.host", "127.0.0.1");
        final int httpPort = Integer.parseInt(System.getProperty("kronika.http.port", "9201"));
        final String transportPorts = System.getProperty("kronika.transport.port", "9301-9399");
        final String clusterName = System.getProperty("kronika.cluster.name", "kronika-test");
        final String seedHosts = System.getProperty("kronika.seed.hosts", "");
        final String nodeName = System.getProperty("kronika.node.name", "");
        final boolean manager =
            Boolean.parseBoolean(System.getProperty("kronika.node.manager", "true"));
        final String initialManagers = System.getProperty("kronika.initial.managers", "");

        for (final String module : REQUIRED_MODULES) {
            try {
                Class.forName(module);
            } catch (final ClassNotFoundException e) {
                fail("module " + module + " is not on the classpath; the runner cannot load it");
            }
        }

        final Path base = Paths.get(basePath).toAbsolutePath();
        Files.createDirectories(base);

        final OpenSearchRunner runner = new OpenSearchRunner();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final IOException e) {
                System.err.println("kronika-opensearch: error while closing: " + e);
            }
        }, "kronika-opensearch-shutdown"));

        runner.onBuild((number, settings) -> {
            // Fixed port: a busy port must fail the start, not move the node elsewhere.
            settings.put("http.port", Integer.toString(httpPort));
            settings.put("transport.port", transportPorts);
            settings.put("network.host", host);
            // Test machines often have little free disk; don't turn indices read-only.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            settings.put("action.destructive_requires_name", false);
            // One node: replicas could never be assigned, so new indices are green at once.
            settings.put("cluster.default_number_of_replicas", 0);
            if (!seedHosts.isBlank()) {
                // A node of a cluster spread over several JVMs (the runner's values are
                // only put where none is set, so these win).
                settings.put("discovery.type", "zen");
                settings.putList("discovery.seed_hosts", seedHosts.split(","));
                if (!nodeName.isBlank()) {
                    settings.put("node.name", nodeName);
                }
                settings.putList("node.roles",
                    manager ? new String[] {"cluster_manager", "data", "ingest"}
                            : new String[] {"data", "ingest"});
                if (!initialManagers.isBlank()) {
                    settings.putList("cluster.initial_cluster_manager_nodes",
                        initialManagers.split(","));
                }
            }
        }).build(newConfigs()
                .basePath(base.toString())
                .numOfNode(1)
                .baseHttpPort(httpPort - 1)
                .clusterName(clusterName)
                .printOnFailure());

        runner.ensureYellow();
        System.out.println("kronika-opensearch: OpenSearch " + Version.CURRENT
                + " ready at http://" + host + ":" + httpPort + " (cluster " + clusterName + ")");
        System.out.flush();

        while (!runner.isClosed()) {
            Thread.sleep(1000);
        }
    }

    private static void fail(final String message) {
        System.err.println("kronika-opensearch: " + message);
        System.exit(2);
    }
}
