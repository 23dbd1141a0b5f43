package io.hearsay.testnet.faults;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Checks the peer and organisation names a scenario uses against a network's (see {@link Scenario#checkNames}). */
final class ScenarioNames {
    private ScenarioNames() {}

    static void check(Scenario scenario, Set<String> peers, Set<String> organizations) {
        for (ScenarioStep step : scenario.steps()) {
            String path = "steps[" + step.index() + "]";
            FaultAction action = step.action();
            if (action instanceof FaultAction.Kill kill) {
                peer(path + ".kill", kill.peer(), peers);
            } else if (action instanceof FaultAction.Sigkill sigkill) {
                peer(path + ".sigkill", sigkill.peer(), peers);
            } else if (action instanceof FaultAction.Restart restart) {
                peer(path + ".restart", restart.peer(), peers);
            } else if (action instanceof FaultAction.Clog clog) {
                peer(path + ".clog", clog.peer(), peers);
            } else if (action instanceof FaultAction.Unclog unclog) {
                peer(path + ".unclog", unclog.peer(), peers);
            } else if (action instanceof FaultAction.Partition partition) {
                List<Set<String>> groups = partition.groups();
                for (int g = 0; g < groups.size(); g++) {
                    for (String name : new TreeSet<>(groups.get(g))) {
                        peerOrOrganization(path + ".partition[" + g + "]", name, peers, organizations, false);
                    }
                }
            } else if (action instanceof FaultAction.Loss loss) {
                link(path + ".loss.link", loss.links(), peers, organizations);
            } else if (action instanceof FaultAction.Latency latency) {
                link(path + ".latency.link", latency.links(), peers, organizations);
            }
        }
    }

    private static void link(String path, LinkSelector links, Set<String> peers, Set<String> organizations) {
        peerOrOrganization(path, links.end(), peers, organizations, true);
        peerOrOrganization(path, links.otherEnd(), peers, organizations, true);
    }

    private static void peer(String path, String name, Set<String> peers) {
        if (!peers.contains(name)) {
            throw new ScenarioException(path, "no peer \"" + name + "\" in this network; its peers are " + new TreeSet<>(peers));
        }
    }

    private static void peerOrOrganization(String path, String name, Set<String> peers, Set<String> organizations,
            boolean anyAllowed) {
        if (peers.contains(name) || organizations.contains(name) || (anyAllowed && name.equals(LinkSelector.ANY))) {
            return;
        }
        throw new ScenarioException(path, "\"" + name + "\" is neither a peer nor an organisation of this network; its peers are "
                + new TreeSet<>(peers) + ", its organisations " + new TreeSet<>(organizations));
    }
}
