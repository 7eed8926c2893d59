package dev.spotter.preemption.source;

import static dev.spotter.preemption.source.Fixtures.node;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spotter.preemption.Cloud;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CloudDetectorTest {

  @ParameterizedTest
  @CsvSource({
    "aws-nth-spot-itn.yaml, Aws",
    "gke-spot-impending-termination.yaml, Gcp",
    "aks-spot-remediator.yaml, Azure",
    "alibaba-ca-to-be-deleted.yaml, Alibaba",
    "spotter-agent-tencent.yaml, Tencent",
    "no-metadata.yaml, Unknown"
  })
  void readsTheProviderIdOfRecordedNodes(String file, Cloud expected) {
    assertEquals(expected, CloudDetector.of(node(file)));
  }

  @ParameterizedTest
  @CsvSource({
    "alicloud:///cn-hangzhou-h/i-bp1xxxxxxxxx, Alibaba",
    "cn-beijing.i-2ze0abcdef, Alibaba",
    "qcloud:///300003/ins-bzwza4jk, Tencent",
    "kind://docker/kind/kind-worker, Unknown",
    "'', Unknown"
  })
  void providerIdSchemes(String id, Cloud expected) {
    assertEquals(expected, CloudDetector.fromProviderId(id));
  }

  @ParameterizedTest
  @CsvSource({
    "eks.amazonaws.com/capacityType, Aws",
    "cloud.google.com/gke-nodepool, Gcp",
    "kubernetes.azure.com/scalesetpriority, Azure",
    "alibabacloud.com/nodepool-id, Alibaba",
    "cloud.tencent.com/node-instance-id, Tencent",
    "example.com/rack, Unknown"
  })
  void labelsWhenTheProviderIdSaysNothing(String label, Cloud expected) {
    var n = new NodeBuilder().withNewMetadata().withName("n").addToLabels(label, "x").endMetadata().build();
    assertEquals(expected, CloudDetector.of(n));
  }
}
