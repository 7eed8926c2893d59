package dev.spotter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The CRDs' CEL rules on a real API server: a bad manifest is refused with HTTP 422 and the rule's
 * own message at the rule's field, before Spotter ever sees it. The cases are rows of the offline
 * CrdValidationTest (dev.spotter.api.validation), which evaluates the same rules with dev.cel; here
 * the API server does it.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(E2eExtension.class)
class CelValidationE2E {
  private static E2eEnvironment env;
  private static String ns;

  @BeforeAll
  static void environment(E2eEnvironment e) {
    env = e;
    ns = e.newNamespace("cel");
  }

  @AfterAll
  static void cleanUp() {
    env.deleteNamespace(ns);
  }

  static Stream<Arguments> rejectedOnCreate() {
    return Stream.of(
        Arguments.of("TrainingJob env sets SPOTTER_ATTEMPT", """
            apiVersion: spotter.dev/v1alpha1
            kind: TrainingJob
            metadata: {name: bad-env, namespace: NS}
            spec:
              image: busybox:1.36
              env: [{name: SPOTTER_ATTEMPT, value: "3"}]
            """, "spec.env",
            "env must not set SPOTTER_* or MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK: Spotter sets them for every worker"),
        Arguments.of("TrainingJob Exec checkpoint without command", """
            apiVersion: spotter.dev/v1alpha1
            kind: TrainingJob
            metadata: {name: bad-exec, namespace: NS}
            spec:
              image: busybox:1.36
              checkpoint: {trigger: Exec}
            """, "spec.checkpoint", "checkpoint.trigger Exec needs checkpoint.command, the command run in every worker"),
        Arguments.of("TrainingJob Http checkpoint by default, without port", """
            apiVersion: spotter.dev/v1alpha1
            kind: TrainingJob
            metadata: {name: bad-http, namespace: NS}
            spec:
              image: busybox:1.36
              checkpoint: {timeoutSeconds: 30}
            """, "spec.checkpoint",
            "checkpoint.trigger Http needs checkpoint.port, the port every worker listens on for POST <path>"),
        Arguments.of("TrainingJob spot wait with SpotOnly", """
            apiVersion: spotter.dev/v1alpha1
            kind: TrainingJob
            metadata: {name: bad-wait, namespace: NS}
            spec:
              image: busybox:1.36
              capacity: {policy: SpotOnly, maxSpotWaitSeconds: 900}
            """, "spec.capacity",
            "maxSpotWaitSeconds only applies to policy SpotPreferred: SpotOnly never falls back and OnDemandOnly never waits for spot"),
        Arguments.of("TrainingJob deadline at the zero time", """
            apiVersion: spotter.dev/v1alpha1
            kind: TrainingJob
            metadata: {name: bad-deadline, namespace: NS}
            spec:
              image: busybox:1.36
              capacity: {deadline: "0001-01-01T00:00:00Z"}
            """, "spec.capacity.deadline",
            "deadline must be a real RFC 3339 time after 2000, for example 2026-12-01T00:00:00Z"),
        Arguments.of("InferenceJob on-demand base above replicas", """
            apiVersion: spotter.dev/v1alpha1
            kind: InferenceJob
            metadata: {name: bad-base, namespace: NS}
            spec:
              image: busybox:1.36
              replicas: 1
              capacity: {onDemandBase: 2}
            """, "spec", "capacity.onDemandBase cannot exceed replicas: lower onDemandBase or raise replicas"),
        Arguments.of("GpuPool with an empty nodeSelector", """
            apiVersion: spotter.dev/v1alpha1
            kind: GpuPool
            metadata: {name: e2e-bad-selector}
            spec:
              nodeSelector: {}
            """, "spec.nodeSelector", "nodeSelector needs at least one label, else the pool would take every node"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedOnCreate")
  void aBadManifestIsRefusedWith422AndTheRulesMessage(String name, String yaml, String field, String message) {
    GenericKubernetesResource bad = parse(yaml);
    KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class, () -> env.admin().resource(bad).create());
    assertRejected(e, field, message);
  }

  @Test
  void changingTheGangSizeOfAnAdmittedTrainingJobIsRefused() {
    // a valid job the API server admits; its accelerator exists nowhere, so it is never placed
    GenericKubernetesResource job = parse("""
        apiVersion: spotter.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: fixed-gang, namespace: NS}
        spec:
          image: busybox:1.36
          workers: 1
          gpuResource: example.com/no-such-gpu
        """);
    env.admin().resource(job).create();
    KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
        () -> edit("spotter.dev/v1alpha1", "TrainingJob", ns, "fixed-gang", r -> withSpec(r, "workers", 2)));
    assertRejected(e, "spec.workers", "workers is immutable: create a new TrainingJob to change the gang size");
  }

  @Test
  void changingTheCapacityTypeOfAGpuPoolIsRefused() {
    String pool = "e2e-cel-" + UUID.randomUUID().toString().substring(0, 5);
    GenericKubernetesResource gp = parse("""
        apiVersion: spotter.dev/v1alpha1
        kind: GpuPool
        metadata: {name: POOL}
        spec:
          nodeSelector: {e2e.spotter.dev/pool: none}
          capacityType: Spot
        """.replace("POOL", pool));
    env.admin().resource(gp).create();
    try {
      KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
          () -> edit("spotter.dev/v1alpha1", "GpuPool", null, pool, r -> withSpec(r, "capacityType", "OnDemand")));
      assertRejected(e, "spec.capacityType",
          "capacityType is immutable: a node's purchase option does not change; create another GpuPool for the other capacity type");
    } finally {
      env.admin().resource(gp).delete();
    }
  }

  private static void assertRejected(KubernetesClientException e, String field, String message) {
    assertThat(e).as("the API server refuses the manifest").isNotNull();
    assertThat(e.getCode()).isEqualTo(422);
    Status status = e.getStatus();
    assertThat(status.getReason()).isEqualTo("Invalid");
    assertThat(status.getDetails().getCauses())
        .as("causes of %s", status.getMessage())
        .anySatisfy(c -> {
          assertThat(c.getField()).isEqualTo(field);
          assertThat(c.getMessage()).contains(message);
        });
    // what kubectl prints: <field>: Invalid value: ...: <message>
    assertThat(status.getMessage()).contains(field + ": ").contains(message);
  }

  private static GenericKubernetesResource parse(String yaml) {
    return env.admin().getKubernetesSerialization().unmarshal(yaml.replace("namespace: NS", "namespace: " + ns),
        GenericKubernetesResource.class);
  }

  private static void edit(String apiVersion, String kind, String namespace, String name,
      UnaryOperator<GenericKubernetesResource> change) {
    var resources = env.admin().genericKubernetesResources(apiVersion, kind);
    (namespace == null ? resources.withName(name) : resources.inNamespace(namespace).withName(name)).edit(change);
  }

  @SuppressWarnings("unchecked")
  private static GenericKubernetesResource withSpec(GenericKubernetesResource r, String key, Object value) {
    ((Map<String, Object>) r.getAdditionalProperties().get("spec")).put(key, value);
    return r;
  }
}
