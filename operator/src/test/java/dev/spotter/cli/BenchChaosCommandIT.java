package dev.spotter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** `spotter bench chaos --json` runs real scenarios and reports what the API history shows. */
class BenchChaosCommandIT {
  @Test
  void twoSmallScenariosInjectFaultsAndEveryJobCompletesWithNothingLost() throws Exception {
    String[] r = BenchChaosCommandTest.run("bench", "chaos", "--scenario", "api-errors,watch-gone", "--jobs", "3", "--json");
    assertThat(r[0]).as(r[1] + r[2]).isEqualTo("0");
    JsonNode j = new ObjectMapper().readTree(r[1]);
    assertThat(j.path("scenarios").asInt()).isEqualTo(2);
    assertThat(j.path("jobs").asInt()).isEqualTo(6);
    assertThat(j.path("jobs_completed").asInt()).isEqualTo(6);
    for (String zero : new String[] {"jobs_lost", "checkpoints_lost", "duplicate_pods", "stuck_jobs", "restarts_charged"}) {
      assertThat(j.path(zero).isInt()).as(zero).isTrue();
      assertThat(j.path(zero).asInt()).as(zero).isZero();
    }
    JsonNode per = j.path("per_scenario");
    assertThat(per).hasSize(2);
    assertThat(per.get(0).path("scenario").asText()).isEqualTo("api-errors");
    assertThat(per.get(0).path("fault_kind").asText()).isEqualTo("http_409_500");
    assertThat(per.get(1).path("scenario").asText()).isEqualTo("watch-gone");
    long sum = 0;
    for (JsonNode s : per) {
      assertThat(s.path("faults").asLong()).as(s.path("scenario").asText() + " injected faults").isPositive();
      assertThat(s.path("jobs_moved").asInt()).as("the notice moved at least one gang").isPositive();
      assertThat(s.path("violations")).isEmpty();
      sum += s.path("faults").asLong();
    }
    assertThat(j.path("faults_injected").asLong()).isEqualTo(sum);
  }
}
