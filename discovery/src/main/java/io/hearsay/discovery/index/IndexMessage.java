package io.hearsay.discovery.index;

import io.hearsay.identity.PkiId;
import java.util.List;

/** The tracker protocol: register and get peers; look a peer up. */
public sealed interface IndexMessage {
    int sizeBytes();

    /** A peer registers itself (its identity is the link's sender) and asks for up to {@code peersWanted} peers. */
    record Register(int peersWanted) implements IndexMessage {
        @Override
        public int sizeBytes() {
            return 16;
        }
    }

    /** The server's answer: {@code accepted}, and a random sample of registered peers. */
    record Registered(boolean accepted, String reason, List<PkiId> peers) implements IndexMessage {
        public Registered {
            peers = List.copyOf(peers);
        }

        @Override
        public int sizeBytes() {
            return 16 + reason.length() + peers.size() * PkiId.LENGTH_BYTES;
        }
    }

    /** Is {@code target} registered (reachable, as far as the server knows)? */
    record Lookup(PkiId target) implements IndexMessage {
        @Override
        public int sizeBytes() {
            return 16 + PkiId.LENGTH_BYTES;
        }
    }

    record LookupReply(PkiId target, boolean registered) implements IndexMessage {
        @Override
        public int sizeBytes() {
            return 16 + PkiId.LENGTH_BYTES;
        }
    }

    /** Every registered peer, up to {@code peersMax}: what a peer asks before sending to everyone. */
    record ListPeers(int peersMax) implements IndexMessage {
        @Override
        public int sizeBytes() {
            return 16;
        }
    }

    record PeerList(List<PkiId> peers) implements IndexMessage {
        public PeerList {
            peers = List.copyOf(peers);
        }

        @Override
        public int sizeBytes() {
            return 16 + peers.size() * PkiId.LENGTH_BYTES;
        }
    }
}
