package dev.spotter.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobStatus;
import dev.spotter.testing.TrainingJobs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request a status write makes on a real API server: a server-side apply of the status
 * subresource by field manager spotter-operator, with the resourceVersion the decision was made
 * on and nothing of the spec. (The mock API has no server-side apply; the k3s suite checks the
 * server's side: StatusOwnershipE2E.)
 */
class StatusApplyTest {
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void theStatusAloneIsAppliedWithTheResourceVersionAsPrecondition() throws Exception {
    TrainingJob job = TrainingJobs.named("llm").namespace("ml").gpus(8).build();
    job.getMetadata().setResourceVersion("42");
    job.getMetadata().setUid("3f1c");
    job.getMetadata().setLabels(java.util.Map.of("team", "a"));
    TrainingJobStatus st = new TrainingJobStatus();
    st.setPhase(JobPhase.Running);
    st.setAttempt(2);
    job.setStatus(st);
    server.expect().patch().withPath("/apis/spotter.dev/v1alpha1/namespaces/ml/trainingjobs/llm/status?fieldManager=spotter-operator&force=true")
        .andReturn(200, job).once();

    TrainingJob stored = StatusWrites.apply(job, client);

    assertThat(stored.getStatus().getAttempt()).isEqualTo(2);
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r.getMethod()).isEqualTo("PATCH");
    assertThat(r.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
    JsonNode body = Serialization.yamlMapper().readTree(r.getBody().readUtf8());
    assertThat(body.path("apiVersion").asText()).isEqualTo("spotter.dev/v1alpha1");
    assertThat(body.path("kind").asText()).isEqualTo("TrainingJob");
    assertThat(body.path("metadata").path("name").asText()).isEqualTo("llm");
    assertThat(body.path("metadata").path("namespace").asText()).isEqualTo("ml");
    assertThat(body.path("metadata").path("resourceVersion").asText()).as("the precondition").isEqualTo("42");
    assertThat(body.path("metadata").has("labels")).as("metadata is the user's").isFalse();
    assertThat(body.has("spec")).as("the spec is the user's").isFalse();
    assertThat(body.path("status").path("phase").asText()).isEqualTo("Running");
    assertThat(body.path("status").path("attempt").asInt()).isEqualTo(2);
  }
}
