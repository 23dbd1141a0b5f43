package io.hearsay.testnet.spec;

/** Field paths in a spec: {@code orderer.batch.maxMessages}, {@code organizations[1].anchors[0]}. */
final class SpecPaths {
    private SpecPaths() {}

    static String join(String parent, String child) {
        if (parent.isEmpty()) {
            return child;
        }
        if (child.isEmpty()) {
            return parent;
        }
        return child.startsWith("[") ? parent + child : parent + "." + child;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
