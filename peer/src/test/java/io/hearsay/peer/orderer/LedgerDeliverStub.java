package io.hearsay.peer.orderer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hearsay.identity.IdentityException;
import io.hearsay.ledger.Ledger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;

/**
 * A stand-in for the node's real Deliver service (written elsewhere), just enough to drive the block intake over
 * gRPC: it checks the seek request's signature against the channel, then streams the orderer's blocks from the
 * requested start and each new one as it is committed. Records every seek it was sent.
 */
final class LedgerDeliverStub extends DeliverGrpc.DeliverImplBase {
    final List<Envelope> seeks = new CopyOnWriteArrayList<>();
    private final OrdererChannels channels;

    LedgerDeliverStub(OrdererChannels channels) {
        this.channels = channels;
    }

    @Override
    public StreamObserver<Envelope> deliver(StreamObserver<DeliverResponse> responseObserver) {
        ServerCallStreamObserver<DeliverResponse> responses = (ServerCallStreamObserver<DeliverResponse>) responseObserver;
        responses.setOnCancelHandler(() -> { });
        return new StreamObserver<>() {
            @Override
            public void onNext(Envelope seek) {
                seeks.add(seek);
                try {
                    Payload payload = Payload.parseFrom(seek.getPayload());
                    ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
                    SignatureHeader signer = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
                    SoloOrderer orderer = channels.orderer(header.getChannelId()).orElse(null);
                    if (orderer == null) {
                        finish(Status.NOT_FOUND);
                        return;
                    }
                    orderer.ledger().organizations().verify(signer.getCreator(), seek.getPayload(), seek.getSignature().toByteArray());
                    Pump pump = new Pump(orderer.ledger(), responses,
                            SeekInfo.parseFrom(payload.getData()).getStart().getSpecified().getNumber());
                    orderer.onCommitted(height -> pump.run());
                    pump.run();
                } catch (InvalidProtocolBufferException e) {
                    finish(Status.BAD_REQUEST);
                } catch (IdentityException e) {
                    finish(Status.FORBIDDEN);
                }
            }

            private void finish(Status status) {
                responses.onNext(DeliverResponse.newBuilder().setStatus(status).build());
                responses.onCompleted();
            }

            @Override
            public void onError(Throwable error) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    /** Sends the blocks from {@code next} up to the ledger's height; run again after each commit. */
    private static final class Pump implements Runnable {
        private final Ledger ledger;
        private final ServerCallStreamObserver<DeliverResponse> responses;
        private long next;

        Pump(Ledger ledger, ServerCallStreamObserver<DeliverResponse> responses, long from) {
            this.ledger = ledger;
            this.responses = responses;
            this.next = from;
        }

        @Override
        public synchronized void run() {
            while (!responses.isCancelled() && next < ledger.height()) {
                responses.onNext(DeliverResponse.newBuilder().setBlock(ledger.block(next++).orElseThrow()).build());
            }
        }
    }
}
