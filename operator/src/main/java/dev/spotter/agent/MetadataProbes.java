package dev.spotter.agent;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.source.NoticeContext;

/** Builds the probe for a cloud from the agent's configuration. */
public final class MetadataProbes {
  private MetadataProbes() {}

  public static MetadataProbe forCloud(Cloud cloud, AgentConfig config, NoticeContext ctx) {
    MetadataHttp http = new MetadataHttp(config.connectTimeout(), config.requestTimeout());
    return switch (cloud) {
      case Aws -> new AwsImdsProbe(config, http, ctx);
      case Gcp -> new GcpMetadataProbe(config, http, ctx);
      case Azure -> new AzureScheduledEventsProbe(config, http, ctx);
      case Alibaba -> new AlibabaMetadataProbe(config, http, ctx);
      case Tencent -> new TencentMetadataProbe(config, http, ctx);
      case Unknown -> throw new IllegalArgumentException("no metadata service for an unknown cloud");
    };
  }
}
