package io.hearsay.testnet.bench;

import io.hearsay.discovery.view.ViewConfig;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.peer.node.PeerNode;
import io.hearsay.testnet.launch.NetworkLauncher;
import io.hearsay.testnet.launch.NetworkLayout;
import io.hearsay.testnet.launch.NetworkMaterial;
import io.hearsay.testnet.launch.RunningNetwork;
import io.hearsay.testnet.sim.Percentiles;
import io.hearsay.testnet.spec.ConnectionProfile;
import io.hearsay.testnet.spec.NetworkModel;
import io.hearsay.testnet.spec.NetworkSpec;
import io.hearsay.testnet.spec.OrganizationSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.hyperledger.fabric.client.SubmittedTransaction;

/**
 * One network model measured on one real network (in this JVM: mutual TLS on loopback, RocksDB, the solo orderer
 * cutting a block per transaction), phase by phase:
 *
 * <pre>
 *   launch ─▶ startup (views full) ─▶ blocks (dissemination) ─▶ idle window (cost)
 *     ─▶ stop ordinary peer P of the last organisation (failure detection)
 *     ─▶ key component down: central — the orderer's index stops answering; gossip, hybrid — anchor 0 stopped
 *     ─▶ restart P (rejoin within the join window?) ─▶ one more block (does it reach P?)
 * </pre>
 *
 * Every organisation has two anchors (peers 0 and 1), so with anchor 0 down the gossip and hybrid models still have a
 * seed and an anchor; the Gateway client uses the first organisation's peer 0, which no phase stops.
 */
final class ModelTrial {
    /** The views' minimum degree, as the launcher gives every peer ({@code NodeConfigs.VIEW}). */
    private static final int MIN_DEGREE = ViewConfig.defaults().minDegree();
    /** Views and ledgers are read this often while waiting: the figures are late by at most this much. */
    private static final Duration VIEW_POLL = Duration.ofMillis(20);
    private static final Duration HEIGHT_POLL = Duration.ofNanos(200_000);
    /** Bound on the phases that must end (startup, failure detection, a block on a healthy network). */
    private static final Duration SETTLE = Duration.ofSeconds(60);

    private final NetworkModel model;
    private final ModelsBenchmark.Options options;
    private final RunningNetwork network;
    private final PrintWriter progress;
    private final String channel;
    private final OrganizationSpec organization;
    private final String stopped;
    private final String anchor;

    private ModelTrial(NetworkModel model, ModelsBenchmark.Options options, RunningNetwork network, PrintWriter progress) {
        this.model = model;
        this.options = options;
        this.network = network;
        this.progress = progress;
        this.channel = network.spec().channelNames().get(0);
        List<OrganizationSpec> organizations = network.spec().organizations();
        this.organization = organizations.get(organizations.size() - 1);
        this.stopped = organization.peerName(organization.peers() - 1);
        this.anchor = organization.peerName(0);
    }

    static ModelFigures run(NetworkModel model, ModelsBenchmark.Options options, Path directory, PrintWriter progress)
            throws Exception {
        NetworkSpec spec = spec(model, options, directory);
        NetworkMaterial.prepare(spec, new NetworkLayout(spec.dataDirectory())); // crypto and genesis: not startup
        long start = System.nanoTime();
        try (RunningNetwork network = NetworkLauncher.launch(spec)) {
            double launchMillis = (System.nanoTime() - start) / 1e6;
            return new ModelTrial(model, options, network, progress).measure(start, launchMillis);
        }
    }

    /**
     * Launches {@code model}'s network and stops it at once, measuring nothing: class loading and the JIT's first
     * compilations would otherwise count against whichever model runs first.
     */
    static void warmUp(NetworkModel model, ModelsBenchmark.Options options, Path directory) {
        try (RunningNetwork network = NetworkLauncher.launch(spec(model, options, directory))) {
            Polling.millisUntil(System.nanoTime(), SETTLE, VIEW_POLL, network::linked);
        }
    }

    static NetworkSpec spec(NetworkModel model, ModelsBenchmark.Options options, Path directory) {
        StringBuilder organizations = new StringBuilder();
        for (int i = 1; i <= options.organizations(); i++) {
            organizations.append("  - {mspId: Org%dMSP, domain: org%d.example.com, peers: %d, anchors: [0, 1]}\n"
                    .formatted(i, i, options.peersPerOrganization()));
        }
        String yaml = """
                name: models-%s
                model: %s
                organizations:
                %sorderer: {batch: {maxMessages: 1, timeoutMillis: 100}}
                channels:
                  - {name: %s, endorsement: {kv: any, bank: majority}}
                ports: {host: 127.0.0.1, base: 0}
                dataDirectory: %s
                """.formatted(model.specName(), model.specName(), organizations, NetworkSpec.DEFAULT_CHANNEL,
                directory.toAbsolutePath().toString().replace("\\", "/"));
        return NetworkSpec.parse(yaml);
    }

    private ModelFigures measure(long start, double launchMillis) throws Exception {
        double startupMillis = startup(start, launchMillis);
        ConnectionProfile profile = ConnectionProfile.read(network.connectionProfile());
        String gateway = network.spec().organizations().get(0).peerName(0);
        try (KvClient client = new KvClient(profile, gateway, channel)) {
            Blocks blocks = dissemination(client);
            IdleTraffic idle = idle();
            progress.printf("%s: idle, discovery %.1f messages and %.0f bytes per peer per second%n", model.specName(),
                    idle.discoveryMessages(), idle.discoveryBytes());
            double detection = failureDetection();
            Rejoin rejoin = rejoinWithKeyComponentDown(client);
            return new ModelFigures(model, launchMillis, startupMillis, blocks.millis(), blocks.invalid(), idle, detection,
                    rejoin.keyComponent(), rejoin.millis(), rejoin.view(), rejoin.expected(), rejoin.blockMillis(),
                    rejoin.leads());
        }
    }

    private double startup(long start, double launchMillis) {
        double startupMillis = check(Polling.millisUntil(start, SETTLE, VIEW_POLL,
                () -> network.linked() && network.peers().stream().allMatch(p -> view(p).size() >= Math.min(MIN_DEGREE,
                        organizationSize(p) - 1))), "every peer to link and fill its view");
        progress.printf("%s: started in %.0f ms, views full after %.0f ms%n", model.specName(), launchMillis, startupMillis);
        return startupMillis;
    }

    /** The measured blocks' dissemination times, and how many of their transactions did not commit VALID. */
    private record Blocks(Percentiles millis, long invalid) {}

    private Blocks dissemination(KvClient client) throws Exception {
        block(client, "warm-up", network.peers(), SETTLE); // first block: JIT and connections, not measured
        List<Double> millis = new ArrayList<>();
        long invalid = 0;
        for (int i = 0; i < options.blocks(); i++) {
            Timed timed = block(client, "block-" + i, network.peers(), SETTLE);
            millis.add(check(timed.millis(), "block " + i + " to reach every peer"));
            invalid += timed.valid() ? 0 : 1;
        }
        Percentiles percentiles = Percentiles.of(millis);
        progress.printf("%s: %d blocks, orderer to every peer p50 %.1f ms, p99 %.1f ms%n", model.specName(),
                percentiles.count(), percentiles.p50(), percentiles.p99());
        return new Blocks(percentiles, invalid);
    }

    /** Stops the ordinary peer; milliseconds until no other peer of its organisation has it in its view. */
    private double failureDetection() {
        network.stop(stopped);
        double millis = check(Polling.millisUntil(System.nanoTime(), SETTLE, VIEW_POLL,
                () -> organizationPeers().stream().noneMatch(p -> view(p).contains(stopped))),
                "the others to drop stopped " + stopped);
        progress.printf("%s: %s dropped from every view after %.0f ms%n", model.specName(), stopped, millis);
        return millis;
    }

    /** What happened to the stopped peer restarted with the key component down (see {@link ModelFigures}). */
    private record Rejoin(String keyComponent, double millis, int view, int expected, double blockMillis, boolean leads) {}

    private Rejoin rejoinWithKeyComponentDown(KvClient client) throws Exception {
        String keyComponent = takeKeyComponentDown();
        int expected = Math.min(MIN_DEGREE, organizationPeers().size());
        long restart = System.nanoTime();
        network.restart(stopped);
        double millis = Polling.millisUntil(restart, options.joinWindow(), VIEW_POLL,
                () -> runningInView(network.peer(stopped)) >= expected);
        int view = runningInView(network.peer(stopped));
        Timed block = block(client, "after-restart", List.of(network.peer(stopped)), options.joinWindow());
        boolean leads = network.leads(stopped, channel);
        progress.printf("%s: %s down; restarted %s %s (view %d of %d); a new block %s%n", model.specName(), keyComponent,
                stopped, Double.isFinite(millis) ? "rejoined in " + Math.round(millis) + " ms"
                        : "found nobody within " + options.joinWindow().toSeconds() + " s", view, expected,
                Double.isFinite(block.millis()) ? "reached it in " + Math.round(block.millis()) + " ms"
                        + (leads ? " (it leads: from the orderer)" : "") : "did not reach it");
        return new Rejoin(keyComponent, millis, view, expected, block.millis(), leads);
    }

    /** What this model depends on, taken down; returns what it was. */
    private String takeKeyComponentDown() {
        if (model == NetworkModel.CENTRAL) {
            network.orderer().index().orElseThrow().serving(false);
            return "the index";
        }
        network.stop(anchor);
        return "anchor (seed) " + anchor;
    }

    /** A measured block: milliseconds from the orderer cutting it until every peer of {@code peers} committed it. */
    private record Timed(double millis, boolean valid) {}

    private Timed block(KvClient client, String key, List<PeerNode> peers, Duration bound) throws Exception {
        long target = ordererHeight() + 1;
        long start = System.nanoTime();
        CompletableFuture<SubmittedTransaction> submitted = client.put(key, model.specName());
        double cutMillis = Polling.millisUntil(start, SETTLE, HEIGHT_POLL,
                () -> ordererHeight() >= target || submitted.isCompletedExceptionally());
        if (submitted.isCompletedExceptionally()) {
            submitted.join(); // throws the Gateway's reason
        }
        check(cutMillis, "the orderer to cut block " + (target - 1));
        long cut = start + (long) (cutMillis * 1e6);
        double millis = Polling.millisUntil(cut, bound, HEIGHT_POLL,
                () -> peers.stream().allMatch(p -> p.ledger(channel).height() >= target));
        boolean valid = submitted.get(SETTLE.toSeconds(), TimeUnit.SECONDS).getStatus().isSuccessful();
        return new Timed(millis, valid);
    }

    private IdleTraffic idle() {
        long indexBytes = 0;
        if (model == NetworkModel.CENTRAL) {
            CryptoMaterial.Member member = network.material().crypto().organization(organization.mspId()).nodes().stream()
                    .filter(n -> n.name().equals(stopped)).findFirst().orElseThrow();
            indexBytes = IdleTraffic.indexBytesPerRegistration(member, "127.0.0.1:" + network.peer(stopped).port(),
                    organization.peers() - 1);
        }
        IdleTraffic.Sample before = IdleTraffic.Sample.of(network);
        LockSupport.parkNanos(options.idle().toNanos());
        return IdleTraffic.between(before, IdleTraffic.Sample.of(network), indexBytes);
    }

    private long ordererHeight() {
        return network.orderer().node().channels().orderer(channel).orElseThrow().ledger().height();
    }

    /** The running peers of the measured organisation. */
    private List<PeerNode> organizationPeers() {
        return network.peers().stream().filter(p -> network.mspId(p.name()).equals(organization.mspId())).toList();
    }

    private int organizationSize(PeerNode peer) {
        String mspId = network.mspId(peer.name());
        return network.spec().organizations().stream().filter(o -> o.mspId().equals(mspId)).findFirst().orElseThrow().peers();
    }

    /**
     * How many peers of {@code peer}'s view run: a peer that joins through a seed may take a stopped member into its
     * view from the seed's table, until it suspects and drops it itself.
     */
    private int runningInView(PeerNode peer) {
        List<String> running = organizationPeers().stream().map(PeerNode::name).toList();
        return (int) view(peer).stream().filter(running::contains).count();
    }

    /** The peer's discovery view by peer name, as {@code /status} shows it. */
    @SuppressWarnings("unchecked")
    static List<String> view(PeerNode peer) {
        Map<String, Object> discovery = (Map<String, Object>) peer.status().get("discovery");
        return (List<String>) discovery.getOrDefault("view", List.of());
    }

    private double check(double millis, String what) {
        if (!Double.isFinite(millis)) {
            throw new IllegalStateException(model.specName() + ": waited " + SETTLE.toSeconds() + " s for " + what
                    + " on a healthy network; it did not happen (see the log above)");
        }
        return millis;
    }
}
