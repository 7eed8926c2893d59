package dev.spotter.policy;

/** What to do with a job now, and why (for events, logs and status). */
public record Decision(Placement placement, String reason) {}
