package io.hearsay.testnet.launch;

import io.hearsay.peer.config.ConfigTree.HostPort;
import io.hearsay.peer.node.PeerConfig;
import io.hearsay.testnet.spec.NetworkSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a network from a {@link NetworkSpec} as one JVM per node, each running {@code hearsay orderer --config} or
 * {@code hearsay peer --config} on the files written here, so a node can crash, be killed or be restarted alone.
 *
 * <pre>
 *   crypto + genesis (first launch only) ─▶ ports (free ones picked now: every file must name its neighbours')
 *     ─▶ orderer.yaml, peer.yaml ─▶ connection.json ─▶ java … HearsayCli orderer/peer --config  (log: node.log)
 * </pre>
 *
 * Nodes find each other whatever order they come up in: peers redial neighbours and the orderer with backoff.
 */
public final class ProcessLauncher {
    public static final String LOG_FILE = "node.log";
    /** Where a peer acknowledges the link faults it applied ({@link LinkFaultsControl}), next to its log. */
    public static final String ACK_FILE = "control.ack";

    private ProcessLauncher() {}

    /**
     * How to start a node's JVM: this JVM's {@code java} and class path unless told otherwise.
     *
     * @param jvmOptions options before the class path, e.g. {@code -Xmx256m}; none by default
     */
    public record JavaCommand(Path java, List<String> jvmOptions, String classPath, String mainClass) {
        public JavaCommand {
            jvmOptions = List.copyOf(jvmOptions);
        }

        public static JavaCommand current() {
            return new JavaCommand(Path.of(System.getProperty("java.home"), "bin", "java"), List.of(),
                    System.getProperty("java.class.path"), "io.hearsay.testnet.cli.HearsayCli");
        }

        public JavaCommand withJvmOptions(String... options) {
            return withJvmOptions(List.of(options));
        }

        public JavaCommand withJvmOptions(List<String> options) {
            return new JavaCommand(java, options, classPath, mainClass);
        }

        /** The whole command line: {@code java}, the JVM options, the class path and main class, then these. */
        public List<String> arguments(List<String> programArguments) {
            List<String> arguments = new ArrayList<>();
            arguments.add(java.toString());
            arguments.addAll(jvmOptions);
            arguments.addAll(List.of("-cp", classPath, mainClass));
            arguments.addAll(programArguments);
            return arguments;
        }

        List<String> arguments(String command, Path config, List<String> options) {
            List<String> programArguments = new ArrayList<>(List.of(command, "--config", config.toString()));
            programArguments.addAll(options);
            return arguments(programArguments);
        }
    }

    public static ProcessNetwork launch(NetworkSpec spec, JavaCommand java) {
        NetworkLayout layout = new NetworkLayout(spec.dataDirectory());
        NetworkMaterial material = NetworkMaterial.prepare(spec, layout);
        List<PeerPlan> plans = PeerPlan.of(spec);
        int[] ports = ports(spec, 1 + 2 * plans.size());
        NodeConfigs configs = NodeConfigs.of(spec, layout, material, plans, ports);
        NetworkLinks links = configs.links();
        NodeConfigFiles.writeOrderer(layout.ordererConfig(), configs.orderer());
        Map<String, Integer> peerPorts = new LinkedHashMap<>();
        Map<String, Integer> operationsPorts = new LinkedHashMap<>();
        for (PeerPlan plan : plans) {
            PeerConfig config = configs.peers().get(plan.name());
            peerPorts.put(plan.name(), config.listen().port());
            operationsPorts.put(plan.name(), config.operations().port());
            NodeConfigFiles.writePeer(layout.peerConfig(plan.name()), config);
        }
        NetworkLauncher.writeProfile(spec, layout, material, peerPorts::get, operationsPorts::get);

        List<ProcessNetwork.NodeProcess> started = new ArrayList<>();
        try {
            started.add(start(java, spec.orderer().ordererName(), "orderer", layout.ordererConfig(), layout.orderer()));
            for (PeerPlan plan : plans) {
                started.add(start(java, plan.name(), "peer", layout.peerConfig(plan.name()), layout.peer(plan.name())));
            }
        } catch (RuntimeException e) {
            ProcessNetwork.stop(started);
            throw e;
        }
        return new ProcessNetwork(spec, layout, material, NetworkLauncher.warnings(spec), plans, links, operationsPorts,
                java, started);
    }

    /**
     * Starts one node's JVM, its output appended to {@code directory}/{@link #LOG_FILE} (a restart adds to it), with
     * its stdin as its {@link NodeControl} channel ({@code --control stdin}): it takes link faults there (a peer,
     * acknowledging in {@link #ACK_FILE}), and stops when this JVM dies and the pipe closes.
     */
    static ProcessNetwork.NodeProcess start(JavaCommand java, String name, String command, Path config,
            Path directory) {
        Path log = directory.resolve(LOG_FILE);
        boolean peer = command.equals("peer");
        Optional<Path> ack = peer ? Optional.of(directory.resolve(ACK_FILE)) : Optional.empty();
        List<String> options = new ArrayList<>(List.of("--control", NodeControl.STDIN));
        ack.ifPresent(file -> options.addAll(List.of("--control-ack", file.toString())));
        try {
            Files.createDirectories(directory);
            if (ack.isPresent()) {
                Files.deleteIfExists(ack.get()); // a new process acknowledges from generation 1 again
            }
            Process process = new ProcessBuilder(java.arguments(command, config, options))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ProcessNetwork.NodeProcess(name, process, log, new ControlChannel(name, process, ack));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + java.java() + "): " + e.getMessage(), e);
        }
    }

    /**
     * The spec's port layout, or with a base of 0, free ports picked now: each node's file must name the ports of
     * the orderer and of its neighbours before any of them runs. All sockets are held open together, so the ports are
     * distinct; another program could still take one before its node binds it, which the node then reports.
     */
    static int[] ports(NetworkSpec spec, int count) {
        int[] ports = new int[count];
        if (!spec.ports().pickFree()) {
            ports[0] = spec.ports().ordererPort();
            for (int k = 0; 1 + 2 * k < count; k++) {
                ports[1 + 2 * k] = spec.ports().peerPort(k);
                ports[2 + 2 * k] = spec.ports().operationsPort(k);
            }
            return ports;
        }
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            InetAddress address = InetAddress.getByName(spec.ports().host());
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, address);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find " + count + " free ports on " + spec.ports().host() + ": "
                    + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // only probing for a free port
                }
            }
        }
    }
}
