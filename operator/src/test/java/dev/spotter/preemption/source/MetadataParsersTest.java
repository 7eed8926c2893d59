package dev.spotter.preemption.source;

import static dev.spotter.preemption.source.Fixtures.CTX;
import static dev.spotter.preemption.source.Fixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every metadata answer parser on recorded responses: none, notice, malformed. */
class MetadataParsersTest {
  private static final String NODE = "gpu-node-1";

  @Test
  void awsInstanceActionIsTheDeadline() {
    Notice n = aws(200, "aws-instance-action-terminate.json").orElseThrow();
    assertEquals(NoticeKind.SpotInterruption, n.kind());
    assertEquals(NoticeSource.AgentAws, n.source());
    assertEquals(Instant.parse("2025-03-01T10:02:00Z"), n.deadline());
    assertEquals("instance-action terminate", n.detail());
    assertEquals("instance-action stop", aws(200, "aws-instance-action-stop.json").orElseThrow().detail());
  }

  @Test
  void awsInstanceActionNoneOrMalformedIsNothing() {
    assertEquals(Optional.empty(), aws(404, "aws-404.html"));
    assertEquals(Optional.empty(), aws(200, "aws-instance-action-bad-time.json"));
    assertEquals(Optional.empty(), aws(200, "aws-404.html"));
    assertEquals(Optional.empty(), aws(500, "aws-instance-action-terminate.json"));
  }

  @Test
  void awsRebalanceStartsAFullWindowAtItsNoticeTime() {
    Notice n =
        new AwsRebalanceParser()
            .parse(NODE, new MetadataResponse(200, read("aws-rebalance.json")), CTX)
            .orElseThrow();
    assertEquals(NoticeKind.RebalanceRecommendation, n.kind());
    assertEquals(Instant.parse("2025-03-01T09:58:00Z"), n.observedAt());
    assertEquals(Instant.parse("2025-03-01T10:00:00Z"), n.deadline());
    assertEquals(
        Optional.empty(),
        new AwsRebalanceParser().parse(NODE, new MetadataResponse(404, read("aws-404.html")), CTX));
    assertEquals(
        Optional.empty(),
        new AwsRebalanceParser().parse(NODE, new MetadataResponse(200, "{\"noticeTime\": 12}"), CTX));
  }

  @Test
  void gcpPreemptedTrueGivesThirtySeconds() {
    var p = new GcpPreemptedParser();
    Notice n = p.parse(NODE, new MetadataResponse(200, "TRUE"), CTX).orElseThrow();
    assertEquals(NoticeSource.AgentGcp, n.source());
    assertEquals(NOW.plusSeconds(30), n.deadline());
    assertEquals(Optional.empty(), p.parse(NODE, new MetadataResponse(200, "FALSE"), CTX));
    assertEquals(Optional.empty(), p.parse(NODE, new MetadataResponse(200, "maybe"), CTX));
    assertEquals(Optional.empty(), p.parse(NODE, new MetadataResponse(503, "TRUE"), CTX));
  }

  @Test
  void alibabaTerminationTimeIsUtc() {
    var p = new AlibabaTerminationTimeParser();
    Notice n = p.parse(NODE, new MetadataResponse(200, "2015-01-05T18:02:00Z"), CTX).orElseThrow();
    assertEquals(NoticeSource.AgentAlibaba, n.source());
    assertEquals(Instant.parse("2015-01-05T18:02:00Z"), n.deadline());
    assertEquals(Optional.empty(), p.parse(NODE, new MetadataResponse(404, "Not Found"), CTX));
    assertEquals(Optional.empty(), p.parse(NODE, new MetadataResponse(200, "2015-01-05 18:02"), CTX));
  }

  @Test
  void tencentTerminationTimeIsChinaStandardTime() {
    var p = new TencentTerminationTimeParser();
    Notice n = p.parse(NODE, new MetadataResponse(200, "2018-08-18 12:05:33\n"), CTX).orElseThrow();
    assertEquals(NoticeSource.AgentTencent, n.source());
    assertEquals(Instant.parse("2018-08-18T04:05:33Z"), n.deadline());
    assertEquals(Optional.empty(), p.parse(NODE, new MetadataResponse(404, ""), CTX));
    assertEquals(Optional.empty(), p.parse(NODE, new MetadataResponse(200, "18/08/2018 12:05:33"), CTX));
  }

  @Test
  void azurePreemptForThisVmUsesNotBefore() {
    Notice n = azure("aks-gpuspot-37281946-vmss_4", "azure-preempt.json").orElseThrow();
    assertEquals(NoticeKind.SpotInterruption, n.kind());
    assertEquals(NoticeSource.AgentAzure, n.source());
    assertEquals(Instant.parse("2025-03-01T10:00:30Z"), n.deadline());
    assertTrue(n.detail().startsWith("Preempt C7061BAC"), n.detail());
  }

  @Test
  void azureEventsForOtherVmsAndHarmlessTypesAreIgnored() {
    assertEquals(Optional.empty(), azure("aks-gpuspot-37281946-vmss_4", "azure-other-vm-and-freeze.json"));
    assertEquals(Optional.empty(), azure("aks-gpuspot-37281946-vmss_4", "azure-none.json"));
    // without a VM name every Preempt counts
    assertEquals(NoticeKind.SpotInterruption, azure(null, "azure-other-vm-and-freeze.json").orElseThrow().kind());
  }

  @Test
  void azureAStartedPreemptIsDueNowAndBeatsARedeploy() {
    Notice n = azure("aks-gpuspot-37281946-vmss_4", "azure-redeploy-and-preempt-started.json").orElseThrow();
    assertEquals(NoticeKind.SpotInterruption, n.kind());
    assertEquals(NOW, n.deadline());
  }

  @ParameterizedTest
  @ValueSource(strings = {"azure-bad-notbefore.json", "azure-not-json.html"})
  void azureMalformedAnswersAreNothing(String file) {
    assertEquals(Optional.empty(), azure("vm", file));
  }

  private static Optional<Notice> aws(int status, String file) {
    return new AwsInstanceActionParser().parse(NODE, new MetadataResponse(status, read(file)), CTX);
  }

  private static Optional<Notice> azure(String vm, String file) {
    return new AzureScheduledEventsParser().parse(NODE, vm, new MetadataResponse(200, read(file)), CTX);
  }

  static String read(String file) {
    try (InputStream in = MetadataParsersTest.class.getResourceAsStream("/notices/metadata/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
