package io.hearsay.testnet.chart;

/**
 * How an axis maps data to pixels. Logarithmic suits latencies that span decades (Fabric's pull tail in
 * seconds next to a push wave in milliseconds); on it, points at or below zero cannot be drawn and are left out.
 */
public enum Scale {
    LINEAR, LOG
}
