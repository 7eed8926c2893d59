package dev.spotter.agent;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.source.AwsInstanceActionParser;
import dev.spotter.preemption.source.AwsRebalanceParser;
import dev.spotter.preemption.source.NoticeContext;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * AWS IMDSv2: a session token from {@code PUT /latest/api/token} (header {@code
 * X-aws-ec2-metadata-token-ttl-seconds}), then {@code /latest/meta-data/spot/instance-action} and
 * {@code /latest/meta-data/events/recommendations/rebalance} with header {@code
 * X-aws-ec2-metadata-token}.
 */
final class AwsImdsProbe implements MetadataProbe {
  private static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";

  private final String node;
  private final MetadataToken token;
  private final URI instanceAction;
  private final URI rebalance;
  private final NoticeContext ctx;
  private final AwsInstanceActionParser actionParser = new AwsInstanceActionParser();
  private final AwsRebalanceParser rebalanceParser = new AwsRebalanceParser();

  AwsImdsProbe(AgentConfig config, MetadataHttp http, NoticeContext ctx) {
    URI base = config.endpoint(Cloud.Aws);
    this.node = config.node();
    this.token =
        new MetadataToken(http, base, TOKEN_HEADER + "-ttl-seconds", config.tokenTtl(), ctx.clock());
    this.instanceAction = base.resolve("/latest/meta-data/spot/instance-action");
    this.rebalance = base.resolve("/latest/meta-data/events/recommendations/rebalance");
    this.ctx = ctx;
  }

  @Override
  public Cloud cloud() {
    return Cloud.Aws;
  }

  @Override
  public List<Notice> poll() throws IOException, InterruptedException {
    List<Notice> out = new ArrayList<>(2);
    actionParser.parse(node, token.get(instanceAction, TOKEN_HEADER).response(), ctx).ifPresent(out::add);
    rebalanceParser.parse(node, token.get(rebalance, TOKEN_HEADER).response(), ctx).ifPresent(out::add);
    return out;
  }
}
