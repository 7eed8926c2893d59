package dev.spotter.chart;

import static dev.spotter.chart.SpotterChart.EVERYTHING_ON;
import static dev.spotter.chart.SpotterChart.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import dev.spotter.chart.SpotterChart.Rendered;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart lints cleanly and renders, with default values and with every optional part on, what
 * an install needs: the pods are pinned to a release image, probed, sized, and pass the
 * "restricted" Pod Security Standard, and leader election follows the replica count.
 */
class ChartRenderTest {
  private static final Rendered DEFAULTS = SpotterChart.render();
  private static final Rendered ALL_ON = SpotterChart.render(EVERYTHING_ON);

  static Stream<Arguments> renderings() {
    return Stream.of(Arguments.of("defaults", DEFAULTS), Arguments.of("everything on", ALL_ON));
  }

  @Test
  void lintFindsNothingToFix() {
    LintResult lint = SpotterChart.lint();
    assertThat(lint.isFailed()).as(lint.getMessages().toString()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void defaultsRenderTheOperatorAndNoOptionalParts() {
    assertThat(kinds(DEFAULTS)).containsExactlyInAnyOrder(
        "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service",
        "Deployment", "PodDisruptionBudget", "ConfigMap", "ConfigMap");
    assertThat(DEFAULTS.objects()).allSatisfy(o -> {
      if (!o.path("kind").asText().startsWith("Cluster")) {
        assertThat(o.at("/metadata/namespace").asText()).as(o.at("/metadata/name").asText()).isEqualTo(SpotterChart.NAMESPACE);
      }
    });
  }

  @Test
  void everythingOnAddsTheAgentMonitoringAndPolicies() {
    assertThat(kinds(ALL_ON)).contains(
        "DaemonSet", "ServiceMonitor", "PrometheusRule", "NetworkPolicy",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    assertThat(ALL_ON.ofKind("ServiceAccount")).hasSize(2);
    assertThat(ALL_ON.ofKind("ClusterRole")).hasSize(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void imageIsPinnedToTheAppVersion(String name, Rendered rendered) throws IOException {
    String appVersion = SpotterChart.YAML.readTree(Files.readString(SpotterChart.DIR.resolve("Chart.yaml")))
        .path("appVersion").asText();
    assertThat(appVersion).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(containers(rendered)).allSatisfy(c ->
        assertThat(c.path("image").asText()).isEqualTo("ghcr.io/spotter-dev/spotter:" + appVersion));
  }

  @Test
  void latestIsRefusedAndADigestWins() {
    assertThatThrownBy(() -> SpotterChart.template(Map.of("image.tag", "latest"))).hasMessageContaining("image.tag must not be \"latest\"");
    String digest = "sha256:" + "ab".repeat(32);
    Rendered pinned = SpotterChart.render(Map.of("image.digest", digest, "image.tag", "0.1.0"));
    assertThat(containers(pinned)).allSatisfy(c ->
        assertThat(c.path("image").asText()).isEqualTo("ghcr.io/spotter-dev/spotter@" + digest));
  }

  @Test
  void twoReplicasElectALeaderOnALeaseInTheReleaseNamespace() {
    JsonNode deployment = DEFAULTS.one("Deployment");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(env(deployment, "SPOTTER_LEADER_ELECTION")).isEqualTo("true");
    assertThat(env(deployment, "SPOTTER_LEADER_ELECTION_NAMESPACE")).isEqualTo(SpotterChart.NAMESPACE);
    assertThat(DEFAULTS.one("Role").at("/metadata/namespace").asText()).isEqualTo(SpotterChart.NAMESPACE);
    assertThat(DEFAULTS.one("PodDisruptionBudget").at("/spec/maxUnavailable").asInt()).isEqualTo(1);
  }

  @Test
  void oneReplicaRunsWithoutLeaderElectionLeaseAccessOrBudget() {
    Rendered single = SpotterChart.render(Map.of("operator.replicas", 1));
    assertThat(env(single.one("Deployment"), "SPOTTER_LEADER_ELECTION")).isEqualTo("false");
    assertThat(single.ofKind("Role")).isEmpty();
    assertThat(single.ofKind("PodDisruptionBudget")).isEmpty();
  }

  @Test
  void moreReplicasWithoutLeaderElectionAreRefused() {
    assertThatThrownBy(() -> SpotterChart.template(Map.of("operator.replicas", 3, "operator.config.leaderElection", false)))
        .hasMessageContaining("leaderElection");
    Rendered three = SpotterChart.render(Map.of("operator.replicas", 3, "operator.config.leaderElection", true));
    assertThat(env(three.one("Deployment"), "SPOTTER_LEADER_ELECTION")).isEqualTo("true");
  }

  @Test
  void aLeaseElsewhereMovesTheRoleThere() {
    Rendered r = SpotterChart.render(Map.of(
        "operator.config.leaderElectionNamespace", "ops", "operator.config.leaderElectionLease", "spotter-a"));
    assertThat(env(r.one("Deployment"), "SPOTTER_LEADER_ELECTION_NAMESPACE")).isEqualTo("ops");
    JsonNode role = r.one("Role");
    assertThat(role.at("/metadata/namespace").asText()).isEqualTo("ops");
    assertThat(role.toString()).contains("\"resourceNames\":[\"spotter-a\"]");
    assertThat(r.one("RoleBinding").at("/metadata/namespace").asText()).isEqualTo("ops");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyServingContainerIsProbedAndEveryContainerSized(String name, Rendered rendered) {
    for (var pod : rendered.podSpecs().entrySet()) {
      for (JsonNode c : pod.getValue().path("containers")) {
        String where = pod.getKey() + "/" + c.path("name").asText();
        // a container with a port serves /healthz and /readyz there (the agent serves nothing, so it has neither)
        if (c.has("ports")) {
          List<String> ports = new ArrayList<>();
          c.path("ports").forEach(p -> ports.add(p.path("name").asText()));
          assertThat(c.at("/livenessProbe/httpGet/path").asText()).as(where).isEqualTo("/healthz");
          assertThat(c.at("/readinessProbe/httpGet/path").asText()).as(where).isEqualTo("/readyz");
          assertThat(c.at("/startupProbe/httpGet/path").asText()).as(where).isEqualTo("/healthz");
          assertThat(ports).as(where).contains(c.at("/livenessProbe/httpGet/port").asText(), c.at("/readinessProbe/httpGet/port").asText());
        } else {
          assertThat(c.has("livenessProbe") || c.has("readinessProbe")).as(where + " probes a port it does not declare").isFalse();
        }
        assertThat(c.at("/resources/requests/cpu").asText()).as(where).isNotEmpty();
        assertThat(c.at("/resources/requests/memory").asText()).as(where).isNotEmpty();
        assertThat(c.at("/resources/limits/memory").asText()).as(where).isNotEmpty();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyPodPassesTheRestrictedPodSecurityStandard(String name, Rendered rendered) {
    assertThat(rendered.podSpecs()).isNotEmpty();
    rendered.podSpecs().forEach((where, pod) -> {
      assertThat(pod.path("hostNetwork").asBoolean(false)).as(where).isFalse();
      assertThat(pod.path("hostPID").asBoolean(false)).as(where).isFalse();
      assertThat(pod.path("hostIPC").asBoolean(false)).as(where).isFalse();
      assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(where).isTrue();
      assertThat(pod.at("/securityContext/seccompProfile/type").asText()).as(where).isEqualTo("RuntimeDefault");
      pod.path("volumes").forEach(v -> assertThat(v.has("hostPath")).as(where + " volume " + v.path("name")).isFalse());
      for (JsonNode c : pod.path("containers")) {
        JsonNode sc = c.path("securityContext");
        String at = where + "/" + c.path("name").asText();
        assertThat(sc.path("allowPrivilegeEscalation").isBoolean() && !sc.path("allowPrivilegeEscalation").asBoolean()).as(at).isTrue();
        assertThat(sc.path("privileged").asBoolean(false)).as(at).isFalse();
        assertThat(sc.at("/capabilities/drop").toString()).as(at).isEqualTo("[\"ALL\"]");
        assertThat(sc.at("/capabilities/add").isMissingNode()).as(at).isTrue();
        assertThat(sc.path("runAsNonRoot").asBoolean()).as(at).isTrue();
        assertThat(sc.path("runAsUser").asInt()).as(at).isEqualTo(65532);
        assertThat(sc.at("/seccompProfile/type").asText()).as(at).isEqualTo("RuntimeDefault");
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as(at).isTrue();
        // the JVM needs a writable /tmp next to the read-only root
        assertThat(c.path("volumeMounts").toString()).as(at).contains("\"mountPath\":\"/tmp\"");
      }
    });
  }

  @Test
  void theOperatorIsProbed() {
    JsonNode c = DEFAULTS.one("Deployment").at("/spec/template/spec/containers/0");
    assertThat(c.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    assertThat(c.at("/livenessProbe/httpGet/port").asText()).isEqualTo("metrics");
    assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
  }

  @Test
  void theAgentRunsOnSpotNodesAndKnowsItsNode() {
    JsonNode ds = ALL_ON.one("DaemonSet");
    JsonNode pod = ds.at("/spec/template/spec");
    String terms = pod.at("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms").toString();
    assertThat(terms).contains("karpenter.sh/capacity-type", "eks.amazonaws.com/capacityType", "cloud.google.com/gke-spot",
        "kubernetes.azure.com/scalesetpriority", "spotinst.io/node-lifecycle");
    assertThat(pod.path("tolerations").toString()).contains("kubernetes.azure.com/scalesetpriority", "cloud.google.com/gke-spot");
    JsonNode container = pod.path("containers").get(0);
    assertThat(container.path("args").toString()).isEqualTo("[\"agent\",\"--cloud=auto\",\"--poll-interval=5s\"]");
    assertThat(pod.path("tolerations").toString()).contains("spotter.dev/interruption");
    JsonNode nodeName = envVar(container, "NODE_NAME");
    assertThat(nodeName.at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("spec.nodeName");
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo("spotter-agent");
  }

  @Test
  void theOperatorStaysOffSpotNodesWhereItCan() {
    JsonNode pod = DEFAULTS.one("Deployment").at("/spec/template/spec");
    assertThat(pod.at("/affinity/nodeAffinity/preferredDuringSchedulingIgnoredDuringExecution").toString())
        .contains("\"operator\":\"NotIn\"", "karpenter.sh/capacity-type", "cloud.google.com/gke-spot");
    assertThat(pod.path("containers").get(0).path("args").toString()).isEqualTo("[\"operator\"]");
  }

  @Test
  void theMetricsServiceAndServiceMonitorReachTheOperatorPort() {
    JsonNode service = DEFAULTS.one("Service");
    JsonNode pod = DEFAULTS.one("Deployment").at("/spec/template");
    assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("metrics");
    service.at("/spec/selector").fields().forEachRemaining(e ->
        assertThat(pod.at("/metadata/labels/" + e.getKey().replace("/", "~1")).asText()).isEqualTo(e.getValue().asText()));
    JsonNode monitor = ALL_ON.one("ServiceMonitor");
    assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("metrics");
    assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
    assertThat(monitor.at("/spec/endpoints/0/honorLabels").asBoolean()).isTrue();
    monitor.at("/spec/selector/matchLabels").fields().forEachRemaining(e ->
        assertThat(service.at("/metadata/labels/" + e.getKey().replace("/", "~1")).asText()).isEqualTo(e.getValue().asText()));
  }

  @Test
  void theNetworkPolicyAdmitsOnlyTheMetricsPort() {
    Rendered r = SpotterChart.render(with(EVERYTHING_ON, "networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name", "monitoring"));
    JsonNode policy = r.one("NetworkPolicy");
    assertThat(policy.at("/spec/policyTypes").toString()).isEqualTo("[\"Ingress\"]");
    assertThat(policy.at("/spec/ingress")).hasSize(1);
    assertThat(policy.at("/spec/ingress/0/ports").toString()).isEqualTo("[{\"port\":\"metrics\",\"protocol\":\"TCP\"}]");
    assertThat(policy.at("/spec/ingress/0/from/0/namespaceSelector/matchLabels/name").asText()).isEqualTo("monitoring");
  }

  private static List<String> kinds(Rendered r) {
    return r.objects().stream().map(o -> o.path("kind").asText()).toList();
  }

  private static List<JsonNode> containers(Rendered r) {
    List<JsonNode> all = new ArrayList<>();
    r.podSpecs().values().forEach(p -> p.path("containers").forEach(all::add));
    return all;
  }

  static String env(JsonNode deployment, String name) {
    return envVar(deployment.at("/spec/template/spec/containers/0"), name).path("value").asText();
  }

  static JsonNode envVar(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (name.equals(e.path("name").asText())) {
        return e;
      }
    }
    throw new AssertionError("no env var " + name + " in " + container.path("name"));
  }
}
