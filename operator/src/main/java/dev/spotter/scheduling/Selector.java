package dev.spotter.scheduling;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A Kubernetes label selector (matchLabels and matchExpressions), evaluated without a client. */
public record Selector(Map<String, String> matchLabels, List<Requirement> requirements) {

  /** One matchExpressions entry: operator In, NotIn, Exists or DoesNotExist. */
  public record Requirement(String key, String operator, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case "In" -> v != null && values.contains(v);
        case "NotIn" -> v == null || !values.contains(v);
        case "Exists" -> v != null;
        case "DoesNotExist" -> v == null;
        default -> false; // an operator we do not know never matches: fail closed
      };
    }
  }

  public Selector {
    matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
    requirements = requirements == null ? List.of() : List.copyOf(requirements);
  }

  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    for (var e : matchLabels.entrySet()) {
      if (!e.getValue().equals(l.get(e.getKey()))) {
        return false;
      }
    }
    return requirements.stream().allMatch(r -> r.matches(l));
  }
}
