package dev.spotter.preemption.source;

import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.util.List;

/**
 * Pod condition {@code DisruptionTarget=True}: Kubernetes is about to terminate this pod (reasons
 * {@code PreemptionByScheduler}, {@code DeletionByTaintManager}, {@code EvictionByEvictionAPI},
 * {@code DeletionByPodGC}, {@code TerminationByKubelet} — the last one is what graceful node
 * shutdown on a preempted GKE Spot VM sets). The notice names the pod's node and carries {@code
 * pod=namespace/name reason=...} in its detail. The deadline is {@code deletionTimestamp} (when the
 * grace period ends) when set, else the unknown-cloud window from the condition's transition.
 */
public final class PodDisruptionTargetParser implements PodNoticeParser {
  static final String CONDITION = "DisruptionTarget";

  @Override
  public String name() {
    return NoticeSource.PodDisruptionTarget.tag();
  }

  @Override
  public List<Notice> parse(Pod pod, NoticeContext ctx) {
    if (pod.getSpec() == null || pod.getSpec().getNodeName() == null || pod.getStatus() == null) {
      return List.of();
    }
    if (pod.getStatus().getConditions() == null || pod.getMetadata() == null) {
      return List.of();
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if (c == null || !CONDITION.equals(c.getType()) || !"True".equals(c.getStatus())) {
        continue;
      }
      Instant now = ctx.now();
      Instant since = Nodes.parseTime(c.getLastTransitionTime()).filter(t -> !t.isAfter(now)).orElse(now);
      // the pod carries no cloud hint, so the shortest window is the safe guess
      Instant deadline =
          Nodes.parseTime(pod.getMetadata().getDeletionTimestamp())
              .orElse(since.plus(ctx.windows().windowFor(dev.spotter.preemption.Cloud.Unknown)));
      String detail =
          "pod=" + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
              + (c.getReason() == null ? "" : " reason=" + c.getReason());
      return List.of(
          new Notice(
              pod.getSpec().getNodeName(),
              NoticeKind.PodDisruption,
              NoticeSource.PodDisruptionTarget,
              deadline,
              since,
              detail));
    }
    return List.of();
  }
}
