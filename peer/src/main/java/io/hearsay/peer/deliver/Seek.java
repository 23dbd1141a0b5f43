package io.hearsay.peer.deliver;

import com.google.protobuf.ByteString;
import io.hearsay.peer.channel.ChannelContext;
import org.hyperledger.fabric.protos.orderer.SeekInfo;

/**
 * An accepted seek: blocks {@code start} to {@code stop} (inclusive, unsigned) of {@code channel}, for
 * {@code creator}, whose membership is re-checked before every block.
 */
record Seek(ChannelContext channel, ByteString creator, long start, long stop, SeekInfo.SeekBehavior behavior,
        SeekInfo.SeekContentType contentType) {

    /** True when {@code number} is the last block this seek asks for. */
    boolean isStop(long number) {
        return Long.compareUnsigned(number, stop) >= 0;
    }
}
