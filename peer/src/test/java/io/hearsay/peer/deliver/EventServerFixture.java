package io.hearsay.peer.deliver;

import io.grpc.ManagedChannel;
import io.hearsay.identity.CryptoGen;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.OrgSpec;
import io.hearsay.ledger.sample.SampleChannel;
import io.hearsay.peer.auth.TimeWindow;
import io.hearsay.peer.channel.CountingFeed;
import io.hearsay.peer.channel.TestChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Network;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What each test of the client-facing event services (Deliver, ChaincodeEvents, CommitStatus) stands on, as a JUnit
 * extension: per test class, the channel's crypto; per test, a real RocksDB {@link TestChain}, a {@link
 * TestEventServer} over it, a mutual-TLS connection from the channel's client and an official Fabric Gateway client
 * on it, all closed after the test — what the test registered last first — and their directories deleted.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final EventServerFixture node = EventServerFixture.perTest();
 * </pre>
 *
 * The server takes blocks through a {@link CountingFeed}, a pass-through that lets the backpressure tests see how
 * far it read. Tests of one class run one at a time (JUnit's default), which the per-test state relies on.
 */
public final class EventServerFixture implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private final Consumer<TestChain> fill;
    /** 0: gRPC's usual, auto-tuned flow control. */
    private final int windowBytes;

    private Path cryptoDirectory;
    private SampleChannel sample;
    private CryptoMaterial impostor;

    private Path ledgerDirectory;
    private TestChain chain;
    private CountingFeed feed;
    private TestEventServer server;
    private ManagedChannel connection;
    private Gateway gateway;
    /** What the test made and registered, in order; closed in reverse after it. */
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private EventServerFixture(Consumer<TestChain> fill, int windowBytes) {
        this.fill = fill;
        this.windowBytes = windowBytes;
    }

    /** Each test gets a chain holding only the genesis block, and a connection with gRPC's usual flow control. */
    public static EventServerFixture perTest() {
        return new EventServerFixture(chain -> {}, 0);
    }

    /**
     * Each test gets a chain to which {@code fill} commits first, and a connection whose HTTP/2 window is fixed at
     * {@code windowBytes}: a client that stops reading fills it after a known number of bytes.
     */
    public static EventServerFixture perTestWithFixedWindow(Consumer<TestChain> fill, int windowBytes) {
        if (windowBytes <= 0) {
            throw new IllegalArgumentException("a fixed window needs a positive size, got " + windowBytes);
        }
        return new EventServerFixture(fill, windowBytes);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        cryptoDirectory = Files.createTempDirectory("hearsay-event-crypto-");
        sample = new SampleChannel(cryptoDirectory.resolve("channel"));
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        ledgerDirectory = Files.createTempDirectory("hearsay-event-ledger-");
        chain = new TestChain(sample, ledgerDirectory.resolve("ledger"));
        closeLater(chain);
        fill.accept(chain);
        feed = new CountingFeed(chain.feed);
        server = new TestEventServer(chain, chain.registry(feed), DeliverConfig.defaults(), TimeWindow.defaults());
        closeLater(server);
        connection = windowBytes == 0 ? server.dial(server.channelClient())
                : server.dialWithFixedWindow(server.channelClient(), windowBytes);
        closeLater(connection::shutdownNow);
        gateway = TestEventServer.gateway(connection, server.channelClient()).connect();
        closeLater(gateway);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (int i = closeables.size() - 1; i >= 0; i--) {
                closeables.get(i).close();
            }
        } finally {
            closeables.clear();
            delete(ledgerDirectory);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        delete(cryptoDirectory);
    }

    public SampleChannel sample() {
        return sample;
    }

    /**
     * A user of an organisation that claims to be Org1MSP under a CA the channel does not know: a well-formed
     * identity from a foreign CA. Generated on first use, once per test class.
     */
    public CryptoMaterial.Member foreigner() {
        if (impostor == null) {
            impostor = CryptoGen.withDefaults().generate(cryptoDirectory.resolve("impostor"),
                    List.of(OrgSpec.peers("Org1MSP", "org1.example.com", 1)));
        }
        return impostor.organization("Org1MSP").users().get(1);
    }

    public TestChain chain() {
        return chain;
    }

    /** Counts the blocks the server takes from the chain's feed. */
    public CountingFeed feed() {
        return feed;
    }

    public TestEventServer server() {
        return server;
    }

    public ManagedChannel connection() {
        return connection;
    }

    /** The official client, signing as the channel's client, over {@link #connection()}. */
    public Gateway gateway() {
        return gateway;
    }

    public Network network() {
        return gateway.getNetwork(SampleChannel.CHANNEL);
    }

    /** {@code iterator}, closed after the test. */
    public <T> CloseableIterator<T> closing(CloseableIterator<T> iterator) {
        closeLater(iterator::close);
        return iterator;
    }

    /** Closes {@code closeable} after the test, before what was registered earlier: the client, then the server. */
    public void closeLater(AutoCloseable closeable) {
        closeables.add(closeable);
    }

    private static void delete(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the test directory " + directory + ": " + e.getMessage(), e);
        }
    }
}
