package dev.spotter.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads spot traces: JSON files with {@code metadata} (gap, prices, machine size) and a
 * {@code data} array, from files, directories or the trace sets bundled in the jar.
 */
public final class TraceLoader {
  /** Machine size of the shared H100 traces (a3-highgpu-8g) when a file does not say. */
  public static final int DEFAULT_GPUS_PER_MACHINE = 8;

  private static final String BUNDLED_ROOT = "traces/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TraceFormat format;

  public TraceLoader(TraceFormat format) {
    this.format = format;
  }

  /** Names of the trace sets shipped inside the jar. */
  public static List<String> bundledSets() {
    return readIndex(BUNDLED_ROOT + "index.txt");
  }

  /**
   * Loads every source: a JSON file, a directory of JSON files (sorted by name), or the name of
   * a bundled set. Zones keep the order given.
   */
  public TraceSet load(List<String> sources) {
    List<Trace> traces = new ArrayList<>();
    for (String source : sources) {
      Path p = Path.of(source);
      if (Files.isDirectory(p)) {
        traces.addAll(loadDirectory(p));
      } else if (Files.isRegularFile(p)) {
        traces.add(loadFile(p));
      } else if (bundledSets().contains(source)) {
        traces.addAll(loadBundled(source).traces());
      } else {
        throw new TraceFileException(
            source, null, "no such file or directory, and not a bundled trace set " + bundledSets());
      }
    }
    String name = sources.size() == 1 ? Path.of(sources.get(0)).getFileName().toString() : "traces";
    return new TraceSet(name, traces);
  }

  /** All {@code *.json} files of a directory, sorted by file name. */
  public List<Trace> loadDirectory(Path dir) {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new TraceFileException(dir.toString(), "cannot list directory: " + e.getMessage(), e);
    }
    if (files.isEmpty()) throw new TraceFileException(dir.toString(), null, "no .json trace files");
    return files.stream().map(this::loadFile).toList();
  }

  public Trace loadFile(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(file.getFileName().toString(), in);
    } catch (IOException e) {
      throw new TraceFileException(file.toString(), "cannot read: " + e.getMessage(), e);
    }
  }

  /** A trace set shipped in the jar under {@code traces/<name>/}. */
  public TraceSet loadBundled(String name) {
    List<String> files = readIndex(BUNDLED_ROOT + name + "/index.txt");
    if (files.isEmpty()) throw new TraceFileException(name, null, "not a bundled trace set");
    List<Trace> traces = new ArrayList<>();
    for (String f : files) {
      String resource = BUNDLED_ROOT + name + "/" + f;
      try (InputStream in = resourceStream(resource)) {
        if (in == null) throw new TraceFileException(resource, null, "missing from the jar");
        traces.add(parse(f, in));
      } catch (IOException e) {
        throw new TraceFileException(resource, "cannot read: " + e.getMessage(), e);
      }
    }
    return new TraceSet(name, traces);
  }

  /** Parses one trace; {@code file} only names it in errors and gives the default zone name. */
  public Trace parse(String file, InputStream in) {
    JsonNode root;
    try {
      root = JSON.readTree(in);
    } catch (IOException e) {
      throw new TraceFileException(file, "not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) throw new TraceFileException(file, null, "not a JSON object");
    JsonNode meta = root.get("metadata");
    if (meta == null || !meta.isObject()) throw new TraceFileException(file, "metadata", "missing or not an object");
    long gap = positiveLong(file, meta, "gap_seconds", "metadata.gap_seconds");
    int gpm = meta.has("gpus_per_machine")
        ? (int) positiveLong(file, meta, "gpus_per_machine", "metadata.gpus_per_machine")
        : DEFAULT_GPUS_PER_MACHINE;
    String zone = meta.hasNonNull("zone") ? meta.get("zone").asText() : stripJson(file);
    Instant start = parseStart(file, meta.get("start_time"));
    JsonNode priceInfo = meta.get("price_info");
    if (priceInfo == null || !priceInfo.isObject()) {
      throw new TraceFileException(file, "metadata.price_info", "missing or not an object");
    }
    double onDemand = positiveDouble(file, priceInfo.get("on_demand_price"), "metadata.price_info.on_demand_price");
    JsonNode spotNode = priceInfo.get("price");
    Double spot = spotNode == null || spotNode.isNull() ? null : positiveDouble(file, spotNode, "metadata.price_info.price");

    JsonNode data = root.get("data");
    if (data == null || !data.isArray()) throw new TraceFileException(file, "data", "missing or not an array");
    if (data.isEmpty()) throw new TraceFileException(file, "data", "is empty");
    int n = data.size();
    int[] machines = new int[n];
    for (int t = 0; t < n; t++) machines[t] = machinesAt(file, data.get(t), t);

    double[] prices = new double[n];
    JsonNode perTick = root.get("prices");
    if (perTick != null && !perTick.isNull()) {
      if (!perTick.isArray() || perTick.size() != n) {
        throw new TraceFileException(file, "prices", "must be an array with one price per entry of data (" + n + ")");
      }
      for (int t = 0; t < n; t++) {
        JsonNode v = perTick.get(t);
        if (v.isNull() && spot != null) prices[t] = spot;
        else prices[t] = positiveDouble(file, v, "prices[" + t + "]");
      }
    } else {
      if (spot == null) throw new TraceFileException(file, "metadata.price_info.price", "missing (and no per-tick prices)");
      java.util.Arrays.fill(prices, spot);
    }
    return new Trace(zone, gap, start, gpm, prices, onDemand, machines);
  }

  private int machinesAt(String file, JsonNode v, int t) {
    String field = "data[" + t + "]";
    if (v == null || !v.isNumber() || v.asDouble() != Math.rint(v.asDouble())) {
      throw new TraceFileException(file, field, "expected an integer, got " + v);
    }
    long x = v.asLong();
    switch (format) {
      case PREEMPTED, AVAILABLE -> {
        if (x != 0 && x != 1) {
          throw new TraceFileException(
              file, field, "expected 0 or 1 with --trace-format " + format.cliName() + ", got " + x
                  + " (counts of machines need --trace-format count)");
        }
        boolean available = format == TraceFormat.PREEMPTED ? x == 0 : x == 1;
        return available ? Trace.UNLIMITED : 0;
      }
      default -> {
        if (x < 0) throw new TraceFileException(file, field, "a machine count cannot be negative: " + x);
        return (int) Math.min(x, Integer.MAX_VALUE - 1);
      }
    }
  }

  private static long positiveLong(String file, JsonNode parent, String key, String field) {
    JsonNode v = parent.get(key);
    if (v == null || v.isNull()) throw new TraceFileException(file, field, "missing");
    if (!v.isNumber() || v.asDouble() <= 0 || v.asDouble() != Math.rint(v.asDouble())) {
      throw new TraceFileException(file, field, "must be a positive whole number, got " + v);
    }
    return v.asLong();
  }

  private static double positiveDouble(String file, JsonNode v, String field) {
    if (v == null || v.isNull()) throw new TraceFileException(file, field, "missing");
    if (!v.isNumber() || !(v.asDouble() > 0) || Double.isInfinite(v.asDouble())) {
      throw new TraceFileException(file, field, "must be a positive number, got " + v);
    }
    return v.asDouble();
  }

  private static Instant parseStart(String file, JsonNode v) {
    if (v == null || v.isNull()) return null;
    try {
      return OffsetDateTime.parse(v.asText()).toInstant();
    } catch (DateTimeParseException e) {
      throw new TraceFileException(file, "metadata.start_time", "not an ISO-8601 date-time: " + v.asText());
    }
  }

  private static String stripJson(String file) {
    String base = Path.of(file).getFileName().toString();
    return base.endsWith(".json") ? base.substring(0, base.length() - 5) : base;
  }

  private static InputStream resourceStream(String resource) {
    ClassLoader cl = TraceLoader.class.getClassLoader();
    return cl.getResourceAsStream(resource);
  }

  private static List<String> readIndex(String resource) {
    try (InputStream in = resourceStream(resource)) {
      if (in == null) return List.of();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new TraceFileException(resource, "cannot read: " + e.getMessage(), e);
    }
  }
}
