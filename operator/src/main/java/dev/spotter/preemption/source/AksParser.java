package dev.spotter.preemption.source;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * AKS node auto-drain: on a Scheduled Event it cordons and drains the node and may taint it {@code
 * remediator.kubernetes.azure.com/unschedulable}. On a spot pool ({@code
 * kubernetes.azure.com/scalesetpriority=spot}) the event is a {@code Preempt}; otherwise auto-drain
 * only acts on {@code Redeploy}, i.e. maintenance.
 */
public final class AksParser extends TaintNoticeParser {
  static final String REMEDIATOR = "remediator.kubernetes.azure.com/unschedulable";

  public AksParser() {
    super(NoticeSource.Aks, Map.of(REMEDIATOR, AksParser::kind));
  }

  private static NoticeKind kind(Node node, Taint taint) {
    return Nodes.labelIs(node, "kubernetes.azure.com/scalesetpriority", "spot")
        ? NoticeKind.SpotInterruption
        : NoticeKind.Maintenance;
  }

  @Override
  Cloud cloud(Node node) {
    return Cloud.Azure;
  }
}
