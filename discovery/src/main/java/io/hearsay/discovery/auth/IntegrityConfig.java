package io.hearsay.discovery.auth;

/**
 * @param replayWindowMessages how far out of order one sender's messages may arrive and still be accepted;
 *     older ones are refused as possible replays. 1,024 covers any reordering a stream or the simulator's
 *     jittered links produce.
 * @param messagesPerSecondMax sustained messages accepted per sender; beyond it messages are dropped
 *     (counted) before any signature is checked, so a flooding neighbour cannot burn this peer's CPU.
 * @param burstMessagesMax messages a sender may send at once above the sustained rate (a catch-up or a
 *     block push burst).
 */
public record IntegrityConfig(int replayWindowMessages, double messagesPerSecondMax, double burstMessagesMax) {
    public IntegrityConfig {
        if (replayWindowMessages < 64 || replayWindowMessages > 1 << 20) {
            throw new IllegalArgumentException("replayWindowMessages is " + replayWindowMessages
                    + "; it must be between 64 and " + (1 << 20));
        }
        if (messagesPerSecondMax <= 0 || burstMessagesMax < 1) {
            throw new IllegalArgumentException("messagesPerSecondMax must be positive and burstMessagesMax at least 1");
        }
    }

    public static IntegrityConfig defaults() {
        return new IntegrityConfig(1024, 5_000, 1_000);
    }
}
