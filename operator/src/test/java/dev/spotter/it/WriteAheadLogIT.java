package dev.spotter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobStatus;
import dev.spotter.demo.EmbeddedApiServer;
import dev.spotter.demo.IndexedCrudDispatcher;
import dev.spotter.testing.MutableClock;
import dev.spotter.testing.OperatorFixture;
import dev.spotter.testing.RequestLog;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Status is the write-ahead log: read back from the order in which the API server accepted the
 * writes, every pod of a job is created only after a status naming its attempt was recorded, and
 * deleted only after a status that retires it (a later attempt, no placement, or a final phase).
 */
class WriteAheadLogIT {
  private static final Pattern POD = Pattern.compile("/api/v1/namespaces/default/pods/?(?<name>[a-z0-9-]*)");
  private static final Pattern STATUS = Pattern.compile("/apis/spotter.dev/v1alpha1/namespaces/default/trainingjobs/(?<job>[a-z0-9-]+)/status");
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
  private final RequestLog log = new RequestLog(new IndexedCrudDispatcher());
  private OperatorFixture fx;

  @AfterEach
  void stop() {
    fx.close();
  }

  private List<Pod> bound(String prefix) {
    return fx.podsOf("wal").stream().filter(p -> p.getMetadata().getName().startsWith(prefix) && p.getSpec().getNodeName() != null
        && p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).toList();
  }

  @Test
  void everyPodIsCreatedAfterItsAttemptIsRecordedAndDeletedAfterItIsRetired() {
    fx = new OperatorFixture(clock, Map.of(), new EmbeddedApiServer(log)).threePools(2).startOperator();
    fx.create(TrainingJobs.named("wal").workers(2).gpus(4).httpCheckpoint(20).maxRestarts(3).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> bound("wal-1-").size() == 2);
    fx.kubelet().setPhase("default", "wal-1-1", "Failed", "Error", 1); // a user failure: restart
    await().atMost(Duration.ofSeconds(20)).until(() -> bound("wal-2-").size() == 2);
    fx.taint(bound("wal-2-").get(0).getSpec().getNodeName(), "cloud.google.com/impending-node-termination", "true", "NoSchedule");
    await().atMost(Duration.ofSeconds(20)).until(() -> bound("wal-3-").size() == 2); // checkpointed and moved
    for (Pod p : bound("wal-3-")) {
      fx.kubelet().setPhase("default", p.getMetadata().getName(), "Succeeded", null, 0);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> fx.training("wal").getStatus().getPhase() == JobPhase.Succeeded);

    TrainingJobStatus recorded = null;
    List<String> checked = new ArrayList<>();
    for (RequestLog.Write w : log.writes()) {
      Matcher s = STATUS.matcher(w.path());
      if (s.matches() && "wal".equals(s.group("job"))) {
        recorded = Serialization.unmarshal(w.body(), TrainingJob.class).getStatus();
        continue;
      }
      Matcher p = POD.matcher(w.path());
      if (!p.matches()) {
        continue;
      }
      String name = w.method().equals("POST") ? Serialization.unmarshal(w.body(), Pod.class).getMetadata().getName() : p.group("name");
      if (!name.startsWith("wal-")) {
        continue;
      }
      int attempt = Integer.parseInt(name.split("-")[1]);
      if (w.method().equals("POST")) {
        // created only for the attempt the last recorded status places
        assertThat(recorded).as("status before creating " + name).isNotNull();
        assertThat(recorded.getAttempt()).as("attempt recorded before creating " + name).isEqualTo(attempt);
        assertThat(recorded.getPlacement()).as("placement recorded before creating " + name).isNotNull();
        checked.add("create " + name);
      } else if (w.method().equals("DELETE")) {
        TrainingJobStatus st = recorded;
        assertThat(st).as("status before deleting " + name).isNotNull();
        assertThat(st.attempt() > attempt || st.getPlacement() == null || (st.getPhase() != null && st.getPhase().isFinal()))
            .as("a recorded decision retires " + name + " before it is deleted; last status: attempt " + st.getAttempt()
                + " phase " + st.getPhase()).isTrue();
        checked.add("delete " + name);
      }
    }
    // the log covered the whole story: three attempts created, the first two retired
    assertThat(checked).contains("create wal-1-0", "create wal-2-0", "create wal-3-1", "delete wal-1-0", "delete wal-2-1");
  }
}
