package dev.spotter.agent;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import java.io.IOException;
import java.util.List;

/** One cloud's metadata service, asked once per poll whether this node is about to go. */
public interface MetadataProbe {
  Cloud cloud();

  /**
   * The notices the service currently announces for this node (empty when none).
   *
   * @throws IOException when the service is down, slow or answers nonsense at the HTTP level
   */
  List<Notice> poll() throws IOException, InterruptedException;
}
