package dev.spotter.chart;

import dev.spotter.metrics.SpotterMetrics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, and whether Spotter exports them: its own metrics
 * (from the names in {@link SpotterMetrics}, in Micrometer's Prometheus form), Micrometer's JVM
 * and process metrics, and Prometheus's {@code up}.
 */
final class PromQl {
  private static final Set<String> KEYWORDS = Set.of(
      "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "offset", "bool",
      "inf", "nan");
  // a counter gets _total, a timer _seconds and its histogram series
  private static final List<String> SUFFIXES = List.of(
      "", "_total", "_seconds", "_seconds_bucket", "_seconds_count", "_seconds_sum", "_seconds_max");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?!\\w)\\s*(\\()?");
  private static final Set<String> SPOTTER = spotterBaseNames();

  private PromQl() {}

  /** The metric names the expression selects; functions, keywords, label names, strings and variables are skipped. */
  static Set<String> metricNames(String expr) {
    String s = expr
        .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")           // string literals
        .replaceAll("\\$\\{[^}]*}|\\$\\w+", "")                    // Grafana variables
        .replaceAll("\\{[^}]*}", "")                               // label matchers
        .replaceAll("\\[[^]]*]", "")                               // range and subquery durations
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
        .replaceAll("\\boffset\\s+\\w+", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String name = m.group(1);
      boolean call = m.group(2) != null;
      if (!call && !KEYWORDS.contains(name.toLowerCase())) {
        names.add(name);
      }
    }
    return names;
  }

  /** Whether Spotter's /metrics (or Prometheus itself, for up) has this metric. */
  static boolean exported(String name) {
    if (name.equals("up") || name.startsWith("jvm_") || name.startsWith("process_")) {
      return true;
    }
    return SUFFIXES.stream().anyMatch(suffix -> name.endsWith(suffix)
        && SPOTTER.contains(name.substring(0, name.length() - suffix.length())));
  }

  private static Set<String> spotterBaseNames() {
    Set<String> names = new LinkedHashSet<>();
    for (Field f : SpotterMetrics.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        try {
          String value = (String) f.get(null);
          if (value.startsWith("spotter.")) {
            names.add(value.replace('.', '_'));
          }
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return names;
  }
}
