package dev.spotter.preemption.source;

import static dev.spotter.preemption.source.Fixtures.CTX;
import static dev.spotter.preemption.source.Fixtures.node;
import static dev.spotter.preemption.source.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import dev.spotter.preemption.Notices;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The registry over every recorded node: exactly the expected sources speak up. */
class NoticeParsersTest {
  private final NoticeParsers parsers = NoticeParsers.all(CTX);

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "aws-karpenter-disrupted.yaml | karpenter:Termination",
        "aws-karpenter-legacy-disruption.yaml | karpenter:Termination",
        "aws-nth-spot-itn.yaml | aws-nth:SpotInterruption",
        "aws-nth-rebalance.yaml | aws-nth:RebalanceRecommendation",
        "aws-nth-scheduled-maintenance.yaml | aws-nth:Maintenance",
        "gke-spot-impending-termination.yaml | gke:SpotInterruption",
        "aks-spot-remediator.yaml | aks:SpotInterruption",
        "ca-to-be-deleted.yaml | cluster-autoscaler:Termination",
        "out-of-service.yaml | out-of-service:NodeGone node-not-ready:NodeNotReady",
        "spotter-agent-aws.yaml | agent-aws:SpotInterruption",
        "spotter-agent-bad-annotation.yaml | agent-gcp:SpotInterruption",
        "node-not-ready.yaml | node-not-ready:NodeNotReady",
        "node-being-deleted.yaml | node-deleted:Termination",
        "healthy-spot-node.yaml | ''",
        "spotter-agent-garbage.yaml | ''",
        "no-metadata.yaml | ''"
      })
  void eachRecordedNodeYieldsExactlyItsSources(String file, String expected) {
    Set<String> want =
        expected.isBlank() ? Set.of() : Set.of(expected.trim().split(" "));
    Set<String> got =
        parsers.fromNode(node(file)).stream()
            .map(n -> n.source().tag() + ":" + n.kind())
            .collect(Collectors.toSet());
    assertEquals(want, got);
  }

  @Test
  void podsAndDeletedNodes() {
    assertEquals(1, parsers.fromPod(pod("disruption-target-kubelet.yaml")).size());
    assertEquals(List.of(), parsers.fromPod(pod("running.yaml")));
    Notice gone = parsers.fromDeletedNode(node("aws-nth-spot-itn.yaml")).get(0);
    assertEquals(NoticeKind.NodeGone, gone.kind());
  }

  @Test
  void aParserThatThrowsDoesNotHideTheOthers() {
    NodeNoticeParser broken =
        new NodeNoticeParser() {
          @Override
          public String name() {
            return "broken";
          }

          @Override
          public List<Notice> parse(Node node, NoticeContext ctx) {
            throw new IllegalStateException("boom");
          }
        };
    NoticeParsers registry =
        new NoticeParsers(List.of(broken, new AwsNodeTerminationHandlerParser()), List.of(), CTX);
    List<Notice> notices = registry.fromNode(node("aws-nth-spot-itn.yaml"));
    assertEquals(1, notices.size());
    assertEquals(NoticeSource.AwsNodeTerminationHandler, notices.get(0).source());
  }

  @Test
  void severalSourcesOnOneNodeBoilDownToTheMostUrgent() {
    List<Notice> all = parsers.fromNode(node("out-of-service.yaml"));
    Map<String, Notice> urgent = Notices.mostUrgentPerNode(all);
    assertEquals(1, urgent.size());
    assertEquals(NoticeKind.NodeGone, urgent.values().iterator().next().kind());
  }
}
