package dev.spotter.agent;

import dev.spotter.preemption.Notice;

/** Puts a notice on the agent's own node where the operator will see it. */
public interface NodeMarker {
  /**
   * Marks {@code notice.node()}.
   *
   * @return true when the node changed; false when it already carried this notice or a more urgent
   *     one
   * @throws RuntimeException when the API server cannot be reached; the agent retries next poll
   */
  boolean mark(Notice notice);
}
