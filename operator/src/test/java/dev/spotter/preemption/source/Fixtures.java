package dev.spotter.preemption.source;

import dev.spotter.preemption.NoticeWindows;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Recorded Node and Pod manifests under src/test/resources/notices, and a fixed test time. */
final class Fixtures {
  /** "Now" in every parser test; the fixtures are recorded around it. */
  static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

  static final NoticeContext CTX =
      new NoticeContext(Clock.fixed(NOW, ZoneOffset.UTC), NoticeWindows.DEFAULTS);

  private Fixtures() {}

  static Node node(String file) {
    return load("nodes/" + file, Node.class);
  }

  static Pod pod(String file) {
    return load("pods/" + file, Pod.class);
  }

  private static <T> T load(String path, Class<T> type) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/notices/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return Serialization.unmarshal(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
