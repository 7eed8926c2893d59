package dev.spotter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpotterConfigTest {
  @Test
  void defaultsEnvironmentAndOverridesApplyInThatOrder() {
    SpotterConfig c = SpotterConfig.load(Map.of("SPOTTER_SPOT_TARGET", "0.6", "SPOTTER_SPOT_WAIT_SECONDS", "120"), Map.of("spotTarget", "0.7"));
    assertThat(c.spotTarget()).isEqualTo(0.7);
    assertThat(c.spotWait()).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.deadlineMargin()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.gpuResource()).isEqualTo("nvidia.com/gpu");
  }

  @Test
  void badValuesNameTheOptionAndWhatIsWrong() {
    assertThatThrownBy(() -> SpotterConfig.load(Map.of("SPOTTER_SPOT_TARGET", "1.5"), Map.of()))
        .hasMessageContaining("spotTarget must be between 0 and 1");
    assertThatThrownBy(() -> SpotterConfig.load(Map.of(), Map.of("spotWaitSeconds", "soon")))
        .hasMessageContaining("spotWaitSeconds (SPOTTER_SPOT_WAIT_SECONDS) must be an integer");
    assertThatThrownBy(() -> SpotterConfig.load(Map.of(), Map.of("spotTraget", "0.5")))
        .hasMessageContaining("unknown option 'spotTraget'").hasMessageContaining("spotTarget");
  }

  @Test
  void everyOptionHasAnEnvironmentVariableAndRoundTrips() {
    SpotterConfig c = SpotterConfig.defaults();
    assertThat(c.asMap()).hasSize(Option.values().length);
    assertThat(SpotterConfig.load(Map.of(), c.asMap())).isEqualTo(c);
    assertThat(Option.SPOT_PRICE_PER_GPU_HOUR.envVar()).isEqualTo("SPOTTER_SPOT_PRICE_PER_GPU_HOUR");
  }
}
