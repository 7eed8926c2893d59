package dev.spotter.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpotMixTest {
  @ParameterizedTest(name = "target {0}, spot {1}, od {2}, +{3} -> spot? {4}")
  @CsvSource({
    "0.8,0,0,1,true", "0.8,8,0,1,false", "0.8,8,2,1,true", "0.8,79,20,1,true", "0.8,80,20,1,true", "0.8,81,19,1,false",
    "1.0,100,0,8,true", "0.0,0,0,1,false", "0.5,1,1,1,true", "0.8,0,0,8,true"
  })
  void choosesWhicheverSideKeepsTheShareClosestToTheTarget(double target, long spot, long od, int gpus, boolean expected) {
    assertThat(new SpotMix(target).prefersSpot(spot, od, gpus)).isEqualTo(expected);
  }

  @Test
  void rejectsTargetsOutsideZeroToOne() {
    assertThatThrownBy(() -> new SpotMix(1.2)).hasMessageContaining("within [0, 1]");
  }
}
