package dev.spotter.preemption.source;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A parser for sources whose only signal is a taint key: one notice per known key present, with
 * the deadline at the window start plus the cloud's notice window. {@code observedAt} is the window
 * start, so re-parsing a node whose taint records its time yields an equal notice.
 */
abstract class TaintNoticeParser implements NodeNoticeParser {
  private final NoticeSource source;
  private final Map<String, BiFunction<Node, Taint, NoticeKind>> kindsByKey;

  TaintNoticeParser(NoticeSource source, Map<String, BiFunction<Node, Taint, NoticeKind>> kindsByKey) {
    this.source = source;
    this.kindsByKey = kindsByKey;
  }

  @Override
  public String name() {
    return source.tag();
  }

  /** The cloud whose window applies; fixed for cloud-specific tools, detected otherwise. */
  Cloud cloud(Node node) {
    return CloudDetector.of(node);
  }

  /** When the window started; subclasses read it from taint values that carry a time. */
  Instant windowStart(Node node, Taint taint, Instant now) {
    return Nodes.windowStart(taint, now);
  }

  @Override
  public List<Notice> parse(Node node, NoticeContext ctx) {
    String name = Nodes.name(node);
    List<Notice> notices = new ArrayList<>();
    if (name == null) {
      return notices;
    }
    Instant now = ctx.now();
    kindsByKey.forEach(
        (key, kindOf) ->
            Nodes.taint(node, key)
                .ifPresent(
                    taint -> {
                      NoticeKind kind = kindOf.apply(node, taint);
                      Instant start = windowStart(node, taint, now);
                      Instant deadline = start.plus(ctx.windows().windowFor(cloud(node)));
                      notices.add(new Notice(name, kind, source, deadline, start, detail(taint)));
                    }));
    return notices;
  }

  static String detail(Taint taint) {
    String value = taint.getValue() == null || taint.getValue().isEmpty() ? "" : "=" + taint.getValue();
    return "taint " + taint.getKey() + value + ":" + taint.getEffect();
  }
}
