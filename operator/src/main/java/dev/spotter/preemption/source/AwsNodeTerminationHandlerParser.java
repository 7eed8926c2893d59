package dev.spotter.preemption.source;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * AWS Node Termination Handler (with {@code taintNode: true}): taints {@code
 * aws-node-termination-handler/spot-itn}, {@code .../rebalance-recommendation}, {@code
 * .../scheduled-maintenance} and {@code .../asg-lifecycle-termination}. The taint value is NTH's
 * event id, not a time, so the deadline is the AWS window from when the taint was first seen.
 */
public final class AwsNodeTerminationHandlerParser extends TaintNoticeParser {
  static final String PREFIX = "aws-node-termination-handler/";

  public AwsNodeTerminationHandlerParser() {
    super(NoticeSource.AwsNodeTerminationHandler, kinds());
  }

  private static Map<String, BiFunction<Node, Taint, NoticeKind>> kinds() {
    Map<String, BiFunction<Node, Taint, NoticeKind>> m = new LinkedHashMap<>();
    m.put(PREFIX + "spot-itn", (n, t) -> NoticeKind.SpotInterruption);
    m.put(PREFIX + "rebalance-recommendation", (n, t) -> NoticeKind.RebalanceRecommendation);
    m.put(PREFIX + "scheduled-maintenance", (n, t) -> NoticeKind.Maintenance);
    m.put(PREFIX + "asg-lifecycle-termination", (n, t) -> NoticeKind.Termination);
    return m;
  }

  @Override
  Cloud cloud(Node node) {
    return Cloud.Aws;
  }
}
