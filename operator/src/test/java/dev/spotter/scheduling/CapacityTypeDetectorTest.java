package dev.spotter.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapacityTypeDetectorTest {
  @ParameterizedTest(name = "{0}={1} -> {2}")
  @CsvSource({
    "karpenter.sh/capacity-type,spot,Spot",
    "karpenter.sh/capacity-type,on-demand,OnDemand",
    "eks.amazonaws.com/capacityType,SPOT,Spot",
    "eks.amazonaws.com/capacityType,ON_DEMAND,OnDemand",
    "cloud.google.com/gke-spot,true,Spot",
    "cloud.google.com/gke-preemptible,true,Spot",
    "kubernetes.azure.com/scalesetpriority,spot,Spot",
    "kubernetes.azure.com/scalesetpriority,regular,OnDemand",
    "spotinst.io/node-lifecycle,spot,Spot",
    "spotinst.io/node-lifecycle,od,OnDemand",
    "karpenter.sh/capacity-type,reserved,OnDemand",
    "node.kubernetes.io/instance-type,p4d.24xlarge,"
  })
  void readsTheWellKnownLabels(String key, String value, String expected) {
    var detected = CapacityTypeDetector.detect(Map.of(key, value));
    if (expected == null) {
      assertThat(detected).isEmpty();
    } else {
      assertThat(detected).hasValueSatisfying(t -> assertThat(t.name()).isEqualTo(expected));
    }
  }
}
