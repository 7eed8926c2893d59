package dev.spotter.sim;

/** A trace or workload file that cannot be read; the message names the file and the field. */
public class TraceFileException extends IllegalArgumentException {
  public TraceFileException(String file, String field, String problem) {
    super(file + ": " + (field == null ? "" : "field '" + field + "': ") + problem);
  }

  public TraceFileException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
