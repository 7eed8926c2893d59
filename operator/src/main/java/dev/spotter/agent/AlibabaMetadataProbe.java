package dev.spotter.agent;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.source.AlibabaTerminationTimeParser;
import dev.spotter.preemption.source.NoticeContext;
import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * Alibaba Cloud ECS: a token from {@code PUT /latest/api/token} (header {@code
 * X-aliyun-ecs-metadata-token-ttl-seconds}), then {@code
 * /latest/meta-data/instance/spot/termination-time} with header {@code X-aliyun-ecs-metadata-token}.
 */
final class AlibabaMetadataProbe implements MetadataProbe {
  private static final String TOKEN_HEADER = "X-aliyun-ecs-metadata-token";

  private final String node;
  private final MetadataToken token;
  private final URI terminationTime;
  private final NoticeContext ctx;
  private final AlibabaTerminationTimeParser parser = new AlibabaTerminationTimeParser();

  AlibabaMetadataProbe(AgentConfig config, MetadataHttp http, NoticeContext ctx) {
    URI base = config.endpoint(Cloud.Alibaba);
    this.node = config.node();
    this.token =
        new MetadataToken(http, base, TOKEN_HEADER + "-ttl-seconds", config.tokenTtl(), ctx.clock());
    this.terminationTime = base.resolve("/latest/meta-data/instance/spot/termination-time");
    this.ctx = ctx;
  }

  @Override
  public Cloud cloud() {
    return Cloud.Alibaba;
  }

  @Override
  public List<Notice> poll() throws IOException, InterruptedException {
    MetadataHttp.Answer a = token.get(terminationTime, TOKEN_HEADER);
    return parser.parse(node, a.response(), ctx).map(List::of).orElse(List.of());
  }
}
