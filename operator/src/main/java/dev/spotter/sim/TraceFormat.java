package dev.spotter.sim;

/** How the {@code data} array of a trace file is to be read. */
public enum TraceFormat {
  /** {@code 1} = spot unavailable (preempted) in that tick, {@code 0} = available. */
  PREEMPTED,
  /** {@code 1} = spot available in that tick, {@code 0} = unavailable. */
  AVAILABLE,
  /** The number of spot machines that could be had in that tick. */
  COUNT;

  /** The option value as users type it. */
  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
