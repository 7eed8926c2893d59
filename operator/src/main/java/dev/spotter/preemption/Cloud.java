package dev.spotter.preemption;

import java.util.Locale;
import java.util.Optional;

/** The cloud a node runs in; it decides the default notice window and the agent's probe. */
public enum Cloud {
  Aws("aws"),
  Gcp("gcp"),
  Azure("azure"),
  Alibaba("alibaba"),
  Tencent("tencent"),
  Unknown("unknown");

  private final String tag;

  Cloud(String tag) {
    this.tag = tag;
  }

  /** The lower-case, stable name used in metrics, logs and options. */
  public String tag() {
    return tag;
  }

  /** The cloud with this tag (case-insensitive), if any. */
  public static Optional<Cloud> fromTag(String tag) {
    if (tag == null) {
      return Optional.empty();
    }
    String t = tag.trim().toLowerCase(Locale.ROOT);
    for (Cloud c : values()) {
      if (c.tag.equals(t)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
