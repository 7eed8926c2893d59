package dev.spotter.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.api.CheckpointSpec;
import dev.spotter.api.CheckpointTrigger;
import dev.spotter.checkpoint.CheckpointReport;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Exec trigger over the real pods/exec protocol, against the mock API server's websocket. */
class ExecCheckpointClientTest {
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init(java.net.InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  private static Pod pod() {
    return new PodBuilder().withNewMetadata().withName("llm-1-0").withNamespace("ml").endMetadata()
        .withNewSpec().addNewContainer().withName("worker").endContainer().endSpec().build();
  }

  private static CheckpointSpec spec() {
    CheckpointSpec cp = new CheckpointSpec();
    cp.setTrigger(CheckpointTrigger.Exec);
    cp.setCommand(List.of("/bin/save"));
    return cp;
  }

  private void expectExec(String stdout, int exitCode) {
    Pod running = new PodBuilder(pod()).withNewStatus().withPhase("Running").endStatus().build();
    server.expect().get().withPath("/api/v1/namespaces/ml/pods/llm-1-0").andReturn(200, running).always();
    server.expect()
        .withPath("/api/v1/namespaces/ml/pods/llm-1-0/exec?command=%2Fbin%2Fsave&container=worker&stdout=true&stderr=true")
        .andUpgradeToWebSocket()
        .open(new OutputStreamMessage(stdout), new StatusStreamMessage(exitCode))
        .done()
        .once();
  }

  @Test
  void exitZeroWithAReportOnStdoutIsACommittedCheckpoint() throws Exception {
    expectExec("{\"id\":\"s3://runs/7/step-900\",\"step\":900}\n", 0);
    CheckpointReport r = new ExecCheckpointClient(client, Clock.systemUTC())
        .request(pod(), spec(), "req-1", Clock.systemUTC().instant().plusSeconds(10)).get(10, TimeUnit.SECONDS);
    assertThat(r.id()).isEqualTo("s3://runs/7/step-900");
    assertThat(r.step()).isEqualTo(900);
  }

  @Test
  void nonZeroExitFailsTheRequest() {
    expectExec("disk full\n", 1);
    var f = new ExecCheckpointClient(client, Clock.systemUTC())
        .request(pod(), spec(), "req-1", Clock.systemUTC().instant().plusSeconds(10));
    assertThat(f).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withMessageContaining("checkpoint command exited with");
  }
}
