package dev.spotter.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of values.yaml that carry a "# --" description comment (the chart's documented
 * values), by dotted path, with the comment's text.
 */
final class DocumentedValues {
  private static final Pattern KEY = Pattern.compile("^([A-Za-z_][\\w.-]*):");

  private DocumentedValues() {}

  static Map<String, String> read(Path valuesYaml) {
    try {
      return parse(Files.readString(valuesYaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, String> parse(String yaml) {
    Map<String, String> documented = new LinkedHashMap<>();
    Deque<Object[]> path = new ArrayDeque<>(); // {indent, key}
    StringBuilder pending = null;
    for (String line : yaml.split("\n")) {
      String s = line.strip();
      if (s.isEmpty()) {
        continue;
      }
      int indent = line.length() - line.stripLeading().length();
      if (s.startsWith("# --")) {
        pending = new StringBuilder(s.substring(4).strip());
        continue;
      }
      if (s.startsWith("#")) {
        if (pending != null) {
          pending.append(' ').append(s.substring(1).strip());
        }
        continue;
      }
      Matcher m = KEY.matcher(s);
      if (s.startsWith("- ") || !m.find()) {
        continue;
      }
      while (!path.isEmpty() && (int) path.peekLast()[0] >= indent) {
        path.removeLast();
      }
      path.addLast(new Object[] {indent, m.group(1)});
      if (pending != null) {
        StringBuilder dotted = new StringBuilder();
        for (Object[] step : path) {
          dotted.append(dotted.length() == 0 ? "" : ".").append(step[1]);
        }
        documented.put(dotted.toString(), pending.toString());
        pending = null;
      }
    }
    return documented;
  }
}
