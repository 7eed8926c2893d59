package dev.spotter.preemption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class InterruptionMarkTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  @Test
  void roundTripsEveryField() {
    Notice n =
        new Notice(
            "gpu-1",
            NoticeKind.SpotInterruption,
            NoticeSource.AgentAws,
            T0.plusSeconds(120),
            T0,
            "instance-action \"terminate\"");
    String value = InterruptionMark.encode(n);
    assertEquals(n, InterruptionMark.decode("gpu-1", value, Instant.EPOCH));
  }

  @Test
  void writesTheDocumentedShape() {
    Notice n =
        new Notice("gpu-1", NoticeKind.SpotInterruption, NoticeSource.AgentGcp, T0.plusSeconds(30), T0, "");
    assertEquals(
        "{\"kind\":\"SpotInterruption\",\"source\":\"agent-gcp\",\"deadline\":\"2025-03-01T10:00:30Z\","
            + "\"observedAt\":\"2025-03-01T10:00:00Z\"}",
        InterruptionMark.encode(n));
  }

  @Test
  void acceptsAHandWrittenMarkWithoutOptionalFields() {
    Notice n =
        InterruptionMark.decode(
            "gpu-2",
            "{\"kind\":\"Maintenance\",\"source\":\"agent-azure\",\"deadline\":\"2025-03-01T10:05:00Z\",\"v\":2}",
            T0);
    assertEquals(NoticeKind.Maintenance, n.kind());
    assertEquals(T0, n.observedAt());
    assertEquals("", n.detail());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "spot",
        "[1,2]",
        "{\"kind\":\"Spot\",\"source\":\"agent-aws\",\"deadline\":\"2025-03-01T10:05:00Z\"}",
        "{\"kind\":\"SpotInterruption\",\"source\":\"nth\",\"deadline\":\"2025-03-01T10:05:00Z\"}",
        "{\"kind\":\"SpotInterruption\",\"source\":\"agent-aws\"}",
        "{\"kind\":\"SpotInterruption\",\"source\":\"agent-aws\",\"deadline\":\"in two minutes\"}",
        "{\"kind\":7,\"source\":\"agent-aws\",\"deadline\":\"2025-03-01T10:05:00Z\"}"
      })
  void rejectsMalformedValuesWithAReason(String value) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> InterruptionMark.decode("n", value, T0));
    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
  }
}
