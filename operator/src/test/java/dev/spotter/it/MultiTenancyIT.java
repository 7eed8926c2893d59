package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.CapacityType;
import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One cluster, two teams: a team's pool is used only by jobs of namespaces its namespaceSelector
 * admits. A job that only another team's capacity could hold waits for its own; a job of a
 * namespace no pool admits waits with PoolNotPermitted and a Warning Event; neither disturbs
 * anybody. Pods run with the ServiceAccount their job names, never more.
 */
class MultiTenancyIT {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private OperatorFixture fx;

  @AfterEach
  void stop() {
    fx.close();
  }

  private TrainingJob job(String ns, String name) {
    return fx.client().resources(TrainingJob.class).inNamespace(ns).withName(name).get();
  }

  private List<Pod> pods(String ns, String name) {
    return fx.client().pods().inNamespace(ns).withLabel("spotter.dev/job", name).list().getItems();
  }

  @Test
  void aJobUsesOnlyPoolsItsNamespaceMayUseAndItsPodsRunAsItsOwnServiceAccount() {
    fx = new OperatorFixture(clock, Map.of("pendingRecheckSeconds", "1"));
    fx.pool("team-a-spot", CapacityType.Spot, "zone-a", 4, 2.37, new LabelSelectorBuilder().addToMatchLabels("team", "a").build());
    fx.pool("team-b-spot", CapacityType.Spot, "zone-b", 1, 2.50, new LabelSelectorBuilder().addToMatchLabels("team", "b").build());
    for (String team : List.of("a", "b")) {
      fx.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-" + team)
          .addToLabels("team", team).endMetadata().build()).create();
    }
    fx.startOperator();

    TrainingJob a = TrainingJobs.named("research").namespace("team-a").workers(2).gpus(8).spotOnly().build();
    a.getSpec().setServiceAccountName("trainer");
    a.getSpec().setAutomountServiceAccountToken(false);
    fx.create(a);
    fx.create(TrainingJobs.named("small").namespace("team-b").gpus(8).spotOnly().build());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(pods("team-a", "research")).as(() -> dev.spotter.testing.Dump.status(job("team-a", "research")))
          .hasSize(2).allMatch(p -> p.getSpec().getNodeName() != null);
      assertThat(pods("team-b", "small")).as(() -> dev.spotter.testing.Dump.status(job("team-b", "small"))).hasSize(1);
    });
    List<String> researchPods = pods("team-a", "research").stream().map(p -> p.getMetadata().getName()).sorted().toList();
    long researchEvents = fx.eventsFor("research").size();

    // team b asks for more than its own pool has; team a's pool, half free, would fit it but is not team b's
    fx.create(TrainingJobs.named("greedy").namespace("team-b").workers(2).gpus(8).spotOnly().build());
    // a namespace no pool admits at all
    fx.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-c")
        .addToLabels("team", "c").endMetadata().build()).create();
    fx.create(TrainingJobs.named("stranger").namespace("team-c").gpus(1).build());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      TrainingJob greedy = job("team-b", "greedy");
      assertThat(greedy.getStatus().getPhase()).isEqualTo(JobPhase.Pending);
      assertThat(greedy.getStatus().getReason()).isEqualTo("InsufficientCapacity");
      // it is told about its own pool only: another team's capacity is neither used nor shown
      assertThat(greedy.getStatus().getMessage()).contains("team-b-spot").doesNotContain("team-a-spot");
      TrainingJob stranger = job("team-c", "stranger");
      assertThat(stranger.getStatus().getReason()).isEqualTo("PoolNotPermitted");
      assertThat(stranger.getStatus().getMessage()).contains("namespace team-c may not use pool(s)");
      assertThat(stranger.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Admitted") && c.getStatus().equals("False")
          && c.getReason().equals("PoolNotPermitted"));
      assertThat(fx.eventsFor("stranger")).anyMatch(e -> e.getType().equals("Warning") && e.getReason().equals("PoolNotPermitted"));
    });
    // it keeps waiting, with nothing of team a's touched
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> pods("team-b", "greedy").isEmpty()
        && pods("team-c", "stranger").isEmpty());
    assertThat(pods("team-a", "research")).extracting(p -> p.getMetadata().getName()).containsExactlyElementsOf(researchPods);
    assertThat(job("team-a", "research").getStatus().getAttempt()).isEqualTo(1);
    assertThat(fx.eventsFor("research")).hasSize((int) researchEvents);
    // no pod of team b ever sat on team a's nodes
    assertThat(fx.client().pods().inNamespace("team-b").list().getItems())
        .allSatisfy(p -> assertThat(p.getMetadata().getAnnotations().get("spotter.dev/node")).startsWith("team-b-spot"));

    // the pods have the identity their job gave them: team a's account without a token, team b's namespace default
    assertThat(pods("team-a", "research")).allSatisfy(p -> {
      assertThat(p.getSpec().getServiceAccountName()).isEqualTo("trainer");
      assertThat(p.getSpec().getAutomountServiceAccountToken()).isFalse();
    });
    assertThat(pods("team-b", "small")).allSatisfy(p -> {
      assertThat(p.getSpec().getServiceAccountName()).isNull();
      assertThat(p.getSpec().getAutomountServiceAccountToken()).isNull();
    });
  }
}
