package io.hearsay.peer;

import io.hearsay.discovery.auth.AuthenticatedChannel;
import io.hearsay.discovery.auth.EcdsaAuthenticator;
import io.hearsay.discovery.auth.SignedMessage;
import io.hearsay.discovery.election.ElectionListener;
import io.hearsay.discovery.election.ElectionMessage;
import io.hearsay.discovery.runtime.PeerRuntime;
import io.hearsay.discovery.runtime.Transport;
import io.hearsay.gossip.auth.Codecs;
import io.hearsay.gossip.block.BlockGossip;
import io.hearsay.gossip.block.BlockGossipListener;
import io.hearsay.gossip.block.BlockLedger;
import io.hearsay.gossip.block.BlockMessage;
import io.hearsay.gossip.block.GossipCounters;
import io.hearsay.identity.PkiId;
import io.hearsay.identity.SigningIdentity;
import io.hearsay.peer.commit.ChannelCommitter;
import io.hearsay.peer.election.ChannelElection;
import io.hearsay.peer.metrics.MessageType;
import io.hearsay.peer.metrics.WireCounters;
import io.hearsay.peer.metrics.WireSize;
import io.hearsay.peer.runtime.NodeResources;
import io.hearsay.peer.runtime.NodeRuntime;
import io.hearsay.peer.runtime.SerialExecutor;
import io.hearsay.peer.transport.GossipNetwork;
import io.hearsay.peer.wire.BlockWire;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's block gossip on a node: the simulator's {@link BlockGossip} core behind an {@link
 * AuthenticatedChannel} whose signatures are bound to the channel id, over the node's shared {@link GossipNetwork},
 * with its own {@link SerialExecutor} so each channel's protocol runs single-threaded and channels run in parallel.
 * When the node elects its leaders, the channel's {@link ChannelElection} runs on the same executor and learns its
 * organisation's heights from the heartbeats, pushes and announcements gossip receives.
 *
 * <p>It counts, for the node's metrics, every message it puts on the wire and every one that arrives for it, by
 * type and encoded size ({@link WireCounters}), at the two adapters below, which see each signed message once.
 */
public final class ChannelGossip {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelGossip.class);

    /** How long another thread waits for this channel's executor to answer or stop. */
    private static final java.time.Duration QUERY_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final String channelId;
    private final String name;
    private final SerialExecutor serial;
    private final NeighbourMembership membership;
    private final AuthenticatedChannel<BlockMessage> channel;
    private final BlockGossip gossip;
    /** Commits runs of blocks on a thread of this channel's own, so the serial executor never waits for RocksDB. */
    private final ChannelCommitter committer;
    private final SigningIdentity identity;
    private final GossipNetwork network;
    private final PeerRuntime runtime;
    private final GossipPeer.Settings settings;
    private final DropLog dropLog;
    /** Written on the serial executor only: the wire lambda and the inbound handlers run there. */
    private final WireCounters wireCounters = new WireCounters();
    /** Set once by {@link #elect}; then read and used only on the serial executor. */
    private volatile ChannelElection election;

    ChannelGossip(GossipPeer.Settings settings, SigningIdentity identity, GossipNetwork network, String channelId,
            BlockLedger ledger, Set<String> organizations, NodeResources resources, BlockGossipListener listener,
            DropLog dropLog) {
        this.channelId = channelId;
        this.name = settings.name() + "/" + channelId;
        this.serial = resources.serialExecutor(name);
        PkiId self = identity.pkiId();
        PeerRuntime runtime = NodeRuntime.of(serial, resources.timers(), NodeRuntime.newSeed());
        this.runtime = runtime;
        this.identity = identity;
        this.network = network;
        this.settings = settings;
        this.dropLog = dropLog;
        this.membership = new NeighbourMembership(self, network::identity, organizations);
        Transport<SignedMessage<BlockMessage>> wire = (to, signed) -> {
            byte[] envelope = BlockWire.encode(channelId, signed);
            if (network.send(to, envelope, BlockWire.isBulk(signed.message()))) {
                wireCounters.sent(MessageType.of(signed.message()), envelope.length);
            }
        };
        // Sequence numbers must exceed every one a previous incarnation used: start at the wall clock in microseconds.
        long firstSequence = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        this.channel = new AuthenticatedChannel<>(self, new EcdsaAuthenticator(identity, network::identity),
                Codecs.blocks(channelId), membership, runtime.clock(), settings.integrity(), wire, this::toGossip,
                dropLog::dropped, firstSequence);
        this.committer = new ChannelCommitter(name, ledger, serial);
        this.gossip = new BlockGossip(settings.gossip(), committer, membership, runtime.fork(), channel.transport(),
                new BlockGossipListener() {
                    @Override
                    public void onBlockCommitted(long number, PkiId from) {
                        listener.onBlockCommitted(number, from);
                    }

                    @Override
                    public void onDropped(PkiId from, String reason) {
                        dropLog.dropped(from, reason);
                        listener.onDropped(from, reason);
                    }
                });
        channel.skipStale(gossip::isStale);
    }

    void start() {
        serial.execute(gossip::start);
    }

    /**
     * Elects this channel's leader among the peers of this peer's organisation; {@code listener} hears, on this
     * channel's serial executor, when this peer starts and stops leading. At most once per channel.
     */
    public synchronized ChannelElection elect(ChannelElection.Settings electionSettings, ElectionListener listener) {
        if (election != null) {
            throw new IllegalStateException(name + " already runs an election");
        }
        ChannelElection started = new ChannelElection(electionSettings, channelId, identity, network, runtime.fork(),
                gossip::height, settings.integrity(), listener, dropLog::dropped, wireCounters);
        election = started;
        serial.execute(started::start);
        return started;
    }

    /** The channel's election, if {@link #elect} started one. */
    public Optional<ChannelElection> election() {
        return Optional.ofNullable(election);
    }

    /** What this channel's election believes now, if it runs one; asked on the serial executor. */
    public Optional<ChannelElection.State> electionState() {
        ChannelElection running = election;
        return running == null ? Optional.empty() : Optional.of(onSerial(running::state));
    }

    private void toGossip(PkiId from, BlockMessage message) {
        ChannelElection running = election;
        long height = message.senderHeightAtLeast();
        if (running != null && height > 0) {
            // Authenticated by now: the sender's height ranks it in the election without a message of its own. Pushes
            // and announcements show it too, and while blocks flow they are what a neighbour sends instead of heartbeats.
            running.onHeightObserved(from, height);
        }
        gossip.onMessage(from, message);
    }

    /** Authenticates and handles a decoded election message on this channel's serial executor; {@code done} runs after. */
    void onElectionMessage(PkiId from, SignedMessage<ElectionMessage> signed, Runnable done) {
        serial.handle(() -> {
            wireCounters.received(MessageType.ELECTION, WireSize.ofElection(channelId, signed));
            ChannelElection running = election;
            if (running == null) {
                dropLog.dropped(from, "an election message for channel '" + channelId + "', where this peer does "
                        + "not elect its leader");
            } else {
                running.onMessage(from, signed);
            }
        }, done);
    }

    /** Authenticates and handles a decoded message on this channel's serial executor; {@code done} runs after. */
    void onMessage(PkiId from, SignedMessage<BlockMessage> signed, Runnable done) {
        serial.handle(() -> {
            wireCounters.received(MessageType.of(signed.message()), WireSize.ofBlockMessage(channelId, signed));
            channel.onMessage(from, signed);
        }, done);
    }

    void addNeighbour(PkiId peer) {
        serial.execute(() -> membership.add(peer));
    }

    /**
     * {@code peer} stops being a neighbour: no more pushes, heartbeats or repair requests to it. What it still sends is
     * heard while its organisation is one of the channel's, as from any peer.
     */
    void removeNeighbour(PkiId peer) {
        serial.execute(() -> membership.remove(peer));
    }

    /** This channel's neighbours now, in PKI-ID order; asked on the serial executor. */
    public java.util.List<PkiId> neighbours() {
        return onSerial(() -> membership.neighbours().toList());
    }

    /** A block from the orderer: this peer is its organisation's leader; commit it and spread it. */
    public void onOrdererBlock(Block block) {
        serial.execute(() -> gossip.onOrdererBlock(block));
    }

    public String channelId() {
        return channelId;
    }

    public long height() {
        return gossip.height();
    }

    public GossipCounters counters() {
        return gossip.counters();
    }

    /** Messages sent and received on this channel by type, with their bytes; read from any thread. */
    public WireCounters wireCounters() {
        return wireCounters;
    }

    /** Gossip and election signatures verified and found valid; any thread (may lag by a few messages). */
    public long verificationsPassed() {
        ChannelElection running = election;
        return channel.verificationsPassed() + (running == null ? 0 : running.verificationsPassed());
    }

    /** Gossip and election signatures refused; any thread (may lag by a few messages). */
    public long verificationsFailed() {
        ChannelElection running = election;
        return channel.verificationsFailed() + (running == null ? 0 : running.verificationsFailed());
    }

    /**
     * Announcements of blocks this peer already had or held, skipped before their signature check (a duplicate
     * "I have block n"); any thread, may lag. Duplicate block bodies are {@link GossipCounters.Counter#DUPLICATE_BODIES}.
     */
    public long duplicateAnnouncements() {
        return channel.staleSkipped();
    }

    /** Messages the authentication layer dropped, by reason. */
    public Map<AuthenticatedChannel.Drop, Long> drops() {
        return onSerial(channel::drops);
    }

    private <T> T onSerial(Supplier<T> query) {
        return serial.query(query, QUERY_TIMEOUT);
    }

    /** Stops the protocol and its executor; the ledger stays open (its owner's). */
    void close() {
        serial.stop(() -> {
            ChannelElection running = election;
            if (running != null) {
                running.stop();
            }
            gossip.stop();
        }, QUERY_TIMEOUT);
        // After the executor (no new run starts) and before the ledger's owner closes it (a run may be mid-write).
        committer.close();
    }
}
