package dev.spotter.chart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metric-name extraction the dashboard and alert checks rely on. */
class PromQlTest {
  @Test
  void findsMetricsButNotFunctionsLabelsOrVariables() {
    assertThat(PromQl.metricNames(
        "histogram_quantile(0.95, sum by (controller, le) (rate(spotter_reconcile_duration_seconds_bucket{job=~\"$job\"}[$__rate_interval])))"))
        .containsExactly("spotter_reconcile_duration_seconds_bucket");
    assertThat(PromQl.metricNames(
        "sum(increase(spotter_fallbacks_total[30m])) > 3 * ((sum(increase(spotter_fallbacks_total[6h] offset 30m)) or vector(0)) / 12)"))
        .containsExactly("spotter_fallbacks_total");
    assertThat(PromQl.metricNames("abs(spotter_fleet_spot_share - spotter_fleet_spot_target) > 0.15 and on (job, instance) up"))
        .containsExactly("spotter_fleet_spot_share", "spotter_fleet_spot_target", "up");
  }

  @Test
  void knowsWhatSpotterExports() {
    assertThat(PromQl.exported("spotter_checkpoints_total")).isTrue();
    assertThat(PromQl.exported("spotter_checkpoint_duration_seconds_bucket")).isTrue();
    assertThat(PromQl.exported("spotter_fleet_spot_share")).isTrue();
    assertThat(PromQl.exported("jvm_memory_used_bytes")).isTrue();
    assertThat(PromQl.exported("spotter_gpus_free")).isFalse();
    assertThat(PromQl.exported("spotter_checkpoints_failed_total")).isFalse();
    assertThat(PromQl.exported("kube_pod_info")).isFalse();
  }
}
