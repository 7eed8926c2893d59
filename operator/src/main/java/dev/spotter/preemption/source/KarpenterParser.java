package dev.spotter.preemption.source;

import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Karpenter: taint {@code karpenter.sh/disrupted:NoSchedule} (v1) or {@code
 * karpenter.sh/disruption=disrupting:NoSchedule} (before v1) on a node it is about to drain and
 * delete — for a spot interruption it received, for consolidation, drift or expiry alike. The taint
 * does not say which, so the notice is a {@link NoticeKind#Termination}.
 */
public final class KarpenterParser extends TaintNoticeParser {
  static final String DISRUPTED = "karpenter.sh/disrupted";
  static final String LEGACY_DISRUPTION = "karpenter.sh/disruption";

  public KarpenterParser() {
    super(NoticeSource.Karpenter, kinds());
  }

  private static Map<String, BiFunction<Node, Taint, NoticeKind>> kinds() {
    Map<String, BiFunction<Node, Taint, NoticeKind>> m = new LinkedHashMap<>();
    m.put(DISRUPTED, (n, t) -> NoticeKind.Termination);
    m.put(LEGACY_DISRUPTION, (n, t) -> NoticeKind.Termination);
    return m;
  }
}
