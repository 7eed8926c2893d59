package dev.spotter.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The policies {@code spotter simulate} knows, by the names users type. */
public final class Policies {
  private static final Map<String, Supplier<SimPolicy>> KNOWN = new LinkedHashMap<>();

  static {
    KNOWN.put("on-demand", OnDemandPolicy::new);
    KNOWN.put("spot-only", SpotOnlyPolicy::new);
    KNOWN.put("greedy", GreedyPolicy::new);
    KNOWN.put("uniform-progress", UniformProgressPolicy::new);
    KNOWN.put("optimal", OptimalPolicy::new);
    KNOWN.put("spotter", SpotterSimPolicy::new);
  }

  private Policies() {}

  public static List<String> names() {
    return List.copyOf(KNOWN.keySet());
  }

  public static SimPolicy byName(String name) {
    Supplier<SimPolicy> s = KNOWN.get(name);
    if (s == null) throw new IllegalArgumentException("unknown policy '" + name + "'; known: " + names() + " or all");
    return s.get();
  }

  /** Parses a comma list or {@code all}. */
  public static List<SimPolicy> parse(List<String> names) {
    List<SimPolicy> out = new ArrayList<>();
    for (String n : names) {
      if (n.equals("all")) {
        for (String k : names()) out.add(byName(k));
      } else {
        out.add(byName(n.strip()));
      }
    }
    return out;
  }
}
