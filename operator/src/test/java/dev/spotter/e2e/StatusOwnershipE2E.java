package dev.spotter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.api.JobPhase;
import dev.spotter.api.TrainingJob;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Who owns which fields, as the real API server records it in managedFields: the user's
 * server-side apply owns the spec, the operator writes only through the status subresource, so a
 * user re-applying a manifest never conflicts with the operator and never wipes its status.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(E2eExtension.class)
class StatusOwnershipE2E {
  /**
   * How the operator writes status on a real API server: StatusWrites applies the status
   * subresource with server-side apply (an "Apply" in managedFields) as field manager
   * spotter-operator, with the resourceVersion precondition.
   */
  private static final String OPERATOR_STATUS_OPERATION = "Apply";
  private static final String OPERATOR_FIELD_MANAGER = "spotter-operator";

  private static E2eEnvironment env;
  private static Jobs jobs;
  private String ns;

  @BeforeAll
  static void environment(E2eEnvironment e) {
    env = e;
    jobs = new Jobs(e.admin());
  }

  @BeforeEach
  void namespace() {
    env.nodes().clearNotices();
    ns = env.newNamespace("fields");
  }

  @AfterEach
  void cleanUp() {
    env.deleteNamespace(ns);
  }

  @Test
  void theUserOwnsTheSpecTheOperatorOnlyTheStatusAndReApplyingNeverConflicts() {
    String job = "owned";
    jobs.apply(Workload.job(job, ns).steps(3));
    TrainingJob done = jobs.awaitStatus(ns, job, "succeeded", Duration.ofMinutes(4), s -> s.getPhase() == JobPhase.Succeeded);

    List<ManagedFieldsEntry> fields = done.getMetadata().getManagedFields();
    ManagedFieldsEntry user = single(fields, Jobs.USER, null);
    assertThat(user.getOperation()).isEqualTo("Apply");
    assertThat(fieldsOf(user)).containsKey("f:spec");

    List<ManagedFieldsEntry> statusWriters = fields.stream().filter(f -> "status".equals(f.getSubresource())).toList();
    assertThat(statusWriters).as("one writer of the status subresource: the operator").hasSize(1);
    ManagedFieldsEntry operator = statusWriters.get(0);
    assertThat(operator.getManager()).isEqualTo(OPERATOR_FIELD_MANAGER);
    assertThat(operator.getOperation()).isEqualTo(OPERATOR_STATUS_OPERATION);
    assertThat(nested(fieldsOf(operator), "f:status")).containsKeys("f:phase", "f:placement", "f:attempt", "f:conditions");
    assertThat(fields.stream().filter(f -> f.getSubresource() == null || f.getSubresource().isEmpty()).map(ManagedFieldsEntry::getManager))
        .as("nothing but the user's apply wrote the main resource (spec, metadata)")
        .containsOnly(Jobs.USER);

    // the user changes the manifest and applies again, without --force-conflicts
    GenericKubernetesResource reapplied = jobs.apply(Workload.job(job, ns).steps(3).maxRestarts(2));
    assertThat(((Map<?, ?>) reapplied.getAdditionalProperties().get("spec")).get("maxRestarts")).isEqualTo(2);
    TrainingJob after = jobs.get(ns, job);
    assertThat(after.getStatus().getPhase()).as("the user's apply leaves the status alone").isEqualTo(JobPhase.Succeeded);
    assertThat(after.getMetadata().getManagedFields()).anyMatch(f -> "status".equals(f.getSubresource())
        && operator.getManager().equals(f.getManager()));
  }

  private static ManagedFieldsEntry single(List<ManagedFieldsEntry> fields, String manager, String subresource) {
    List<ManagedFieldsEntry> m = fields.stream()
        .filter(f -> manager.equals(f.getManager()))
        .filter(f -> subresource == null ? f.getSubresource() == null || f.getSubresource().isEmpty() : subresource.equals(f.getSubresource()))
        .toList();
    assertThat(m).as("managedFields of %s (%s)", manager, fields).hasSize(1);
    return m.get(0);
  }

  private static Map<String, Object> fieldsOf(ManagedFieldsEntry e) {
    return e.getFieldsV1().getAdditionalProperties();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> nested(Map<String, Object> fields, String key) {
    Object v = fields.get(key);
    assertThat(v).as("%s in %s", key, fields).isInstanceOf(Map.class);
    return (Map<String, Object>) v;
  }
}
