package dev.spotter.agent;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.NoticeWindows;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every setting of the node agent, typed, with the documented defaults; {@code spotter agent} maps
 * one option to each field.
 *
 * @param node the Kubernetes node the agent runs on (and the only one it patches)
 * @param cloud the cloud to poll, or {@code null} to detect it from the node's provider ID
 * @param endpoints base URL of each cloud's metadata service
 * @param pollInterval pause between two polls (AWS recommends checking every 5 s)
 * @param connectTimeout TCP connect timeout to the metadata service
 * @param requestTimeout bound on one whole request, answer included
 * @param tokenTtl lifetime requested for AWS IMDSv2 and Alibaba metadata tokens
 * @param gcpWait how long one GCP {@code wait_for_change} request may hang before it returns
 * @param azureVmName the VM name Azure events must list; {@code null} asks Azure IMDS once
 * @param windows per-cloud notice windows, for sources that give no time (GCP)
 */
public record AgentConfig(
    String node,
    Cloud cloud,
    Map<Cloud, URI> endpoints,
    Duration pollInterval,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration tokenTtl,
    Duration gcpWait,
    String azureVmName,
    NoticeWindows windows) {

  /** The documented metadata endpoints. */
  public static final Map<Cloud, URI> DEFAULT_ENDPOINTS =
      Map.of(
          Cloud.Aws, URI.create("http://169.254.169.254"),
          Cloud.Gcp, URI.create("http://metadata.google.internal"),
          Cloud.Azure, URI.create("http://169.254.169.254"),
          Cloud.Alibaba, URI.create("http://100.100.100.200"),
          Cloud.Tencent, URI.create("http://metadata.tencentyun.com"));

  public AgentConfig {
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException("the agent needs its node name (--node or NODE_NAME)");
    }
    if (cloud == Cloud.Unknown) {
      throw new IllegalArgumentException("cloud must be a known cloud or null for auto-detection");
    }
    Map<Cloud, URI> merged = new EnumMap<>(Cloud.class);
    merged.putAll(DEFAULT_ENDPOINTS);
    if (endpoints != null) {
      merged.putAll(endpoints);
    }
    endpoints = Map.copyOf(merged);
    positive(pollInterval, "pollInterval");
    positive(connectTimeout, "connectTimeout");
    positive(requestTimeout, "requestTimeout");
    positive(tokenTtl, "tokenTtl");
    positive(gcpWait, "gcpWait");
    Objects.requireNonNull(windows, "windows");
  }

  /** Defaults for a node, cloud auto-detected. */
  public static AgentConfig defaults(String node) {
    return new AgentConfig(
        node,
        null,
        DEFAULT_ENDPOINTS,
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofHours(6),
        Duration.ofSeconds(55),
        null,
        NoticeWindows.DEFAULTS);
  }

  public URI endpoint(Cloud c) {
    return endpoints.get(c);
  }

  public AgentConfig withCloud(Cloud c) {
    return new AgentConfig(node, c, endpoints, pollInterval, connectTimeout, requestTimeout, tokenTtl, gcpWait, azureVmName, windows);
  }

  public AgentConfig withEndpoint(Cloud c, URI uri) {
    Map<Cloud, URI> m = new EnumMap<>(endpoints);
    m.put(c, uri);
    return new AgentConfig(node, cloud, m, pollInterval, connectTimeout, requestTimeout, tokenTtl, gcpWait, azureVmName, windows);
  }

  public AgentConfig withTimeouts(Duration poll, Duration connect, Duration request, Duration gcp) {
    return new AgentConfig(node, cloud, endpoints, poll, connect, request, tokenTtl, gcp, azureVmName, windows);
  }

  public AgentConfig withTokenTtl(Duration ttl) {
    return new AgentConfig(node, cloud, endpoints, pollInterval, connectTimeout, requestTimeout, ttl, gcpWait, azureVmName, windows);
  }

  public AgentConfig withAzureVmName(String vm) {
    return new AgentConfig(node, cloud, endpoints, pollInterval, connectTimeout, requestTimeout, tokenTtl, gcpWait, vm, windows);
  }

  public AgentConfig withWindows(NoticeWindows w) {
    return new AgentConfig(node, cloud, endpoints, pollInterval, connectTimeout, requestTimeout, tokenTtl, gcpWait, azureVmName, w);
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
