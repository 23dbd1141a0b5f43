package io.hearsay.discovery.swim;

/**
 * What a member is in the network's shape. Anchors (Fabric's anchor peers, the hybrid model's super-nodes)
 * are the peers others join through, so they are never forgotten however long they stay dead.
 */
public enum MemberRole {
    PEER,
    ANCHOR
}
