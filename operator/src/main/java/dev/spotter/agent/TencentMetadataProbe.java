package dev.spotter.agent;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.source.NoticeContext;
import dev.spotter.preemption.source.TencentTerminationTimeParser;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Tencent Cloud CVM: {@code GET /latest/meta-data/spot/termination-time}, no token. */
final class TencentMetadataProbe implements MetadataProbe {
  private final String node;
  private final MetadataHttp http;
  private final URI terminationTime;
  private final NoticeContext ctx;
  private final TencentTerminationTimeParser parser = new TencentTerminationTimeParser();

  TencentMetadataProbe(AgentConfig config, MetadataHttp http, NoticeContext ctx) {
    this.node = config.node();
    this.http = http;
    this.terminationTime = config.endpoint(Cloud.Tencent).resolve("/latest/meta-data/spot/termination-time");
    this.ctx = ctx;
  }

  @Override
  public Cloud cloud() {
    return Cloud.Tencent;
  }

  @Override
  public List<Notice> poll() throws IOException, InterruptedException {
    MetadataHttp.Answer a = http.get(terminationTime, Map.of());
    return parser.parse(node, a.response(), ctx).map(List::of).orElse(List.of());
  }
}
