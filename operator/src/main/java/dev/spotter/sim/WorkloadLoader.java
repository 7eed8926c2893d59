package dev.spotter.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a workload file (YAML or JSON): {@code jobs:} a list of jobs with the fields of
 * {@link SimJob}, plus an optional {@code count} that repeats a job ({@code name-1}, ...).
 */
public final class WorkloadLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> FIELDS = Set.of(
      "name", "gpus", "computeHours", "deadlineHours", "arrivalHours", "checkpointIntervalMinutes",
      "restartOverheadMinutes", "noticeCheckpointSeconds", "count");

  private WorkloadLoader() {}

  public static List<SimJob> load(Path file) {
    try {
      return parse(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new TraceFileException(file.toString(), "cannot read: " + e.getMessage(), e);
    }
  }

  /** Parses YAML or JSON text; {@code file} names the source in errors. */
  public static List<SimJob> parse(String file, String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw new TraceFileException(file, "not valid YAML or JSON: " + e.getMessage(), e);
    }
    JsonNode jobs = root == null ? null : root.get("jobs");
    if (jobs == null || !jobs.isArray() || jobs.isEmpty()) {
      throw new TraceFileException(file, "jobs", "missing or empty: the file needs a list 'jobs:'");
    }
    List<SimJob> out = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      JsonNode j = jobs.get(i);
      String at = "jobs[" + i + "]";
      if (!j.isObject()) throw new TraceFileException(file, at, "must be a mapping");
      for (Iterator<String> it = j.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!FIELDS.contains(f)) throw new TraceFileException(file, at + "." + f, "unknown field; known: " + FIELDS);
      }
      String name = j.hasNonNull("name") ? j.get("name").asText() : "job-" + (i + 1);
      int gpus = (int) number(file, j, at, "gpus", true, 1);
      double compute = number(file, j, at, "computeHours", false, 0);
      Double deadline = optional(file, j, at, "deadlineHours");
      double arrival = j.has("arrivalHours") ? number(file, j, at, "arrivalHours", false, 0) : 0;
      Double ckpt = optional(file, j, at, "checkpointIntervalMinutes");
      double overhead = j.has("restartOverheadMinutes") ? number(file, j, at, "restartOverheadMinutes", false, 0) : 0;
      Double notice = optional(file, j, at, "noticeCheckpointSeconds");
      int count = j.has("count") ? (int) number(file, j, at, "count", true, 1) : 1;
      if (gpus != Math.rint(gpus)) throw new TraceFileException(file, at + ".gpus", "must be a whole number");
      try {
        for (int k = 1; k <= count; k++) {
          String n = count == 1 ? name : name + "-" + k;
          out.add(new SimJob(n, gpus, compute, deadline, arrival, ckpt, overhead, notice));
        }
      } catch (IllegalArgumentException e) {
        throw new TraceFileException(file, at, e.getMessage());
      }
    }
    return out;
  }

  private static double number(String file, JsonNode j, String at, String key, boolean whole, double min) {
    JsonNode v = j.get(key);
    if (v == null || v.isNull()) throw new TraceFileException(file, at + "." + key, "missing");
    if (!v.isNumber()) throw new TraceFileException(file, at + "." + key, "must be a number, got " + v);
    double x = v.asDouble();
    if (whole && x != Math.rint(x)) throw new TraceFileException(file, at + "." + key, "must be a whole number, got " + v);
    if (x < min || (min == 0 && x < 0)) {
      throw new TraceFileException(file, at + "." + key, "must be at least " + (whole ? (long) min : min) + ", got " + v);
    }
    return x;
  }

  private static Double optional(String file, JsonNode j, String at, String key) {
    if (!j.hasNonNull(key)) return null;
    double x = number(file, j, at, key, false, 0);
    return x;
  }
}
