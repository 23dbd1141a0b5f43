package io.hearsay.testnet.verify;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.hearsay.identity.CryptoMaterial;
import io.hearsay.identity.IdentityException;
import io.hearsay.ledger.Ledger;
import io.hearsay.peer.transport.TlsCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Iterator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;

/**
 * A stand-in for a peer's Deliver service until the node has its own: serves a ledger's committed blocks from the
 * seek's start over mutual TLS, after checking the seek is signed by a member of the channel, and then leaves the
 * stream open as a peer waiting for the next block would (the client closes it). Enough to drive the real Fabric
 * Gateway SDK against real ledgers in {@link DeliverChainSource}'s tests.
 */
final class LedgerDeliverServer implements AutoCloseable {
    private final Server server;

    LedgerDeliverServer(Ledger ledger, CryptoMaterial crypto, CryptoMaterial.Member node) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .sslContext(TlsCredentials.of(node, crypto.msps()).serverContext())
                .addService(new DeliverGrpc.DeliverImplBase() {
                    @Override
                    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responses) {
                        return new SeekHandler(ledger, responses);
                    }
                })
                .build()
                .start();
    }

    String endpoint() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private static final class SeekHandler implements StreamObserver<Envelope> {
        private final Ledger ledger;
        private final StreamObserver<DeliverResponse> responses;

        SeekHandler(Ledger ledger, StreamObserver<DeliverResponse> responses) {
            this.ledger = ledger;
            this.responses = responses;
        }

        @Override
        public void onNext(Envelope seek) {
            long start;
            try {
                Payload payload = Payload.parseFrom(seek.getPayload());
                SignatureHeader signer = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
                ledger.organizations().verify(signer.getCreator(), seek.getPayload(),
                        seek.getSignature().toByteArray());
                SeekInfo info = SeekInfo.parseFrom(payload.getData());
                start = info.getStart().hasSpecified() ? info.getStart().getSpecified().getNumber() : 0;
            } catch (InvalidProtocolBufferException e) {
                refuse(Status.BAD_REQUEST);
                return;
            } catch (IdentityException e) {
                refuse(Status.FORBIDDEN);
                return;
            }
            // Committed blocks only, a handful in tests: sent at once, and the stream stays open like a live peer's.
            Iterator<Block> blocks = ledger.blocks(start, ledger.height());
            while (blocks.hasNext()) {
                responses.onNext(DeliverResponse.newBuilder().setBlock(blocks.next()).build());
            }
        }

        private void refuse(Status status) {
            responses.onNext(DeliverResponse.newBuilder().setStatus(status).build());
            responses.onCompleted();
        }

        @Override
        public void onError(Throwable t) {
            // The client cancelled: the normal end of a block events stream.
        }

        @Override
        public void onCompleted() {
            responses.onCompleted();
        }
    }
}
