package dev.spotter.preemption.source;

import dev.spotter.preemption.Cloud;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Infers a node's cloud from {@code spec.providerID}, then from well-known labels.
 *
 * <p>Provider IDs: {@code aws:///zone/i-..}, {@code gce://project/zone/name}, {@code
 * azure:///subscriptions/..}, {@code alicloud://..} or Alibaba's bare {@code region.i-..}, and
 * {@code qcloud:///zone/ins-..} (Tencent).
 */
public final class CloudDetector {
  // Alibaba's cloud-controller-manager writes "<region>.<instance-id>" without a scheme.
  private static final Pattern ALIBABA_BARE = Pattern.compile("^[a-z]+-[a-z0-9-]+\\.i-[a-z0-9]+$");

  private CloudDetector() {}

  /** The node's cloud, or {@link Cloud#Unknown}. */
  public static Cloud of(Node node) {
    String providerId = node.getSpec() == null ? null : node.getSpec().getProviderID();
    Cloud fromId = fromProviderId(providerId);
    return fromId != Cloud.Unknown ? fromId : fromLabels(Nodes.labels(node));
  }

  /** The cloud named by a provider ID, or {@link Cloud#Unknown}. */
  public static Cloud fromProviderId(String providerId) {
    if (providerId == null || providerId.isBlank()) {
      return Cloud.Unknown;
    }
    String id = providerId.trim();
    if (id.startsWith("aws://")) {
      return Cloud.Aws;
    }
    if (id.startsWith("gce://")) {
      return Cloud.Gcp;
    }
    if (id.startsWith("azure://")) {
      return Cloud.Azure;
    }
    if (id.startsWith("alicloud://") || ALIBABA_BARE.matcher(id).matches()) {
      return Cloud.Alibaba;
    }
    if (id.startsWith("qcloud://") || id.startsWith("tencentcloud://")) {
      return Cloud.Tencent;
    }
    return Cloud.Unknown;
  }

  private static Cloud fromLabels(Map<String, String> labels) {
    for (String key : labels.keySet()) {
      if (key.startsWith("eks.amazonaws.com/") || key.startsWith("karpenter.k8s.aws/")) {
        return Cloud.Aws;
      }
      if (key.startsWith("cloud.google.com/")) {
        return Cloud.Gcp;
      }
      if (key.startsWith("kubernetes.azure.com/")) {
        return Cloud.Azure;
      }
      if (key.startsWith("alibabacloud.com/") || key.startsWith("alicloud.com/")) {
        return Cloud.Alibaba;
      }
      if (key.startsWith("cloud.tencent.com/") || key.startsWith("tke.cloud.tencent.com/")) {
        return Cloud.Tencent;
      }
    }
    return Cloud.Unknown;
  }
}
