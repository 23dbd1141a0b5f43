package io.hearsay.testnet.chart;

/** A peer's ledger height (blocks committed) at a moment, in ms since whatever the chart counts from. */
public record HeightSample(long timeMillis, long height) {}
