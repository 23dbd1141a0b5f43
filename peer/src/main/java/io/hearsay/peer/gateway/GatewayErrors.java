package io.hearsay.peer.gateway;

import com.google.protobuf.Any;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;

/**
 * Gateway errors the way Fabric's gateway sends them: a gRPC status code and message, with one
 * {@code gateway.ErrorDetail{address, msp_id, message}} per peer or orderer involved, packed into the
 * {@code grpc-status-details-bin} trailer (the Fabric Gateway SDK exposes them as {@code getDetails()}).
 */
public final class GatewayErrors {
    private GatewayErrors() {
    }

    public static StatusRuntimeException error(Status.Code code, String message) {
        return error(code, message, List.of());
    }

    public static StatusRuntimeException error(Status.Code code, String message, List<ErrorDetail> details) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(code.value())
                .setMessage(message);
        for (ErrorDetail detail : details) {
            status.addDetails(Any.pack(detail));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    public static ErrorDetail detail(String address, String mspId, String message) {
        return ErrorDetail.newBuilder().setAddress(address).setMspId(mspId).setMessage(message).build();
    }
}
