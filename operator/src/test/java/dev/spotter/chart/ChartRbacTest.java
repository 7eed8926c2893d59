package dev.spotter.chart;

import static dev.spotter.chart.SpotterChart.EVERYTHING_ON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spotter.chart.SpotterChart.Rendered;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Least privilege: the roles grant exactly what the operator and the agent use — no wildcard, no
 * Secret, no verb beyond the list — and every binding points at a role and a ServiceAccount the
 * chart renders.
 */
class ChartRbacTest {
  /** What the operator does with the API: "group/resource" to verbs. */
  private static final Map<String, Set<String>> OPERATOR = Map.of(
      "spotter.dev/trainingjobs", Set.of("get", "list", "watch"),
      "spotter.dev/inferencejobs", Set.of("get", "list", "watch"),
      "spotter.dev/gpupools", Set.of("get", "list", "watch"),
      "spotter.dev/trainingjobs/status", Set.of("get", "update", "patch"),
      "spotter.dev/inferencejobs/status", Set.of("get", "update", "patch"),
      "spotter.dev/gpupools/status", Set.of("get", "update", "patch"),
      "/pods", Set.of("get", "list", "watch", "create", "delete"),
      "/services", Set.of("get", "list", "watch", "create"),
      "/nodes", Set.of("get", "list", "watch"),
      "/namespaces", Set.of("get", "list", "watch"));
  private static final Map<String, Set<String>> OPERATOR_REST = Map.of(
      "spotter.dev/trainingjobs/finalizers", Set.of("update"),
      "spotter.dev/inferencejobs/finalizers", Set.of("update"),
      "/events", Set.of("create", "patch"),
      "/persistentvolumeclaims", Set.of("get", "patch"));
  private static final Map<String, Set<String>> LEASES = Map.of("coordination.k8s.io/leases", Set.of("get", "create", "update"));
  private static final Map<String, Set<String>> AGENT = Map.of("/nodes", Set.of("get", "patch"));

  static Stream<Arguments> renderings() {
    return Stream.of(Arguments.of("defaults", SpotterChart.render()), Arguments.of("everything on", SpotterChart.render(EVERYTHING_ON)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void noWildcardsNoSecretsNoNonResourceUrls(String name, Rendered rendered) {
    for (JsonNode rule : rules(rendered)) {
      assertThat(rule.toString()).doesNotContain("\"*\"").doesNotContain("secrets");
      assertThat(rule.has("nonResourceURLs")).as(rule.toString()).isFalse();
      assertThat(rule.path("verbs").toString()).doesNotContain("escalate", "bind", "impersonate", "deletecollection");
    }
    assertThat(rendered.ofKind("ClusterRole")).allSatisfy(r -> assertThat(r.has("aggregationRule")).isFalse());
  }

  @Test
  void theOperatorGetsExactlyWhatItUses() {
    Rendered r = SpotterChart.render();
    Map<String, Set<String>> expected = new TreeMap<>(OPERATOR);
    expected.putAll(OPERATOR_REST);
    assertThat(grants(r.one("ClusterRole"))).isEqualTo(expected);
    assertThat(grants(r.one("Role"))).isEqualTo(LEASES);
  }

  @Test
  void execIsGrantedOnlyWhenExecCheckpointsAreEnabled() {
    Rendered r = SpotterChart.render(Map.of("rbac.checkpointExec", true));
    Map<String, Set<String>> expected = new TreeMap<>(OPERATOR);
    expected.putAll(OPERATOR_REST);
    expected.put("/pods/exec", Set.of("create"));
    assertThat(grants(r.one("ClusterRole"))).isEqualTo(expected);
  }

  @Test
  void leaseUpdatesAreLimitedToTheOperatorsLease() {
    JsonNode role = SpotterChart.render().one("Role");
    for (JsonNode rule : role.path("rules")) {
      Set<String> verbs = texts(rule.path("verbs"));
      if (!verbs.equals(Set.of("create"))) {
        assertThat(texts(rule.path("resourceNames"))).as(rule.toString()).containsExactly("spotter-operator");
      }
    }
  }

  @Test
  void theAgentMayOnlyReadAndPatchNodes() {
    Rendered r = SpotterChart.render(EVERYTHING_ON);
    ObjectNode agentRole = r.ofKind("ClusterRole").stream()
        .filter(o -> o.at("/metadata/name").asText().endsWith("-agent")).findFirst().orElseThrow();
    assertThat(grants(agentRole)).isEqualTo(AGENT);
    JsonNode policy = r.one("ValidatingAdmissionPolicy");
    assertThat(policy.at("/spec/matchConditions/0/expression").asText())
        .contains("system:serviceaccount:" + SpotterChart.NAMESPACE + ":spotter-agent");
    assertThat(policy.at("/spec/validations/0/expression").asText())
        .contains("request.userInfo.extra[\"authentication.kubernetes.io/node-name\"]", "object.metadata.name");
    assertThat(r.one("ValidatingAdmissionPolicyBinding").at("/spec/policyName").asText())
        .isEqualTo(policy.at("/metadata/name").asText());
  }

  @Test
  void theAdmissionPolicyIsOffByDefault() {
    Rendered r = SpotterChart.render(Map.of("agent.enabled", true));
    assertThat(r.ofKind("DaemonSet")).hasSize(1);
    assertThat(r.ofKind("ValidatingAdmissionPolicy")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void bindingsJoinRenderedRolesToTheServiceAccountsThePodsUse(String name, Rendered rendered) {
    Set<String> accounts = new TreeSet<>();
    rendered.ofKind("ServiceAccount").forEach(sa -> accounts.add(sa.at("/metadata/namespace").asText() + "/" + sa.at("/metadata/name").asText()));
    Set<String> used = new TreeSet<>();
    rendered.podSpecs().values().forEach(p -> used.add(SpotterChart.NAMESPACE + "/" + p.path("serviceAccountName").asText()));
    assertThat(accounts).isEqualTo(used);
    for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
      for (JsonNode binding : rendered.ofKind(kind)) {
        String roleKind = binding.at("/roleRef/kind").asText();
        String role = binding.at("/roleRef/name").asText();
        assertThat(rendered.ofKind(roleKind)).as(binding.toString())
            .anyMatch(r -> r.at("/metadata/name").asText().equals(role)
                && (roleKind.equals("ClusterRole") || r.at("/metadata/namespace").equals(binding.at("/metadata/namespace"))));
        for (JsonNode subject : binding.path("subjects")) {
          assertThat(accounts).contains(subject.path("namespace").asText() + "/" + subject.path("name").asText());
        }
      }
    }
  }

  @Test
  void everyRuleSaysWhyInTheTemplate() throws IOException {
    for (String template : List.of("clusterrole.yaml", "role-leader-election.yaml", "agent-clusterrole.yaml")) {
      List<String> lines = Files.readAllLines(SpotterChart.DIR.resolve("templates").resolve(template));
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).trim().startsWith("- apiGroups:")) {
          String before = lines.get(i - 1).trim();
          if (before.startsWith("{{")) {
            before = lines.get(i - 2).trim();
          }
          assertThat(before).as(template + ":" + (i + 1) + " has no comment saying why").startsWith("#");
        }
      }
    }
  }

  private static List<JsonNode> rules(Rendered r) {
    List<JsonNode> all = new ArrayList<>();
    Stream.concat(r.ofKind("ClusterRole").stream(), r.ofKind("Role").stream()).forEach(role -> role.path("rules").forEach(all::add));
    return all;
  }

  /** "group/resource" to the verbs granted on it, over all rules of a role. */
  private static Map<String, Set<String>> grants(JsonNode role) {
    Map<String, Set<String>> grants = new TreeMap<>();
    for (JsonNode rule : role.path("rules")) {
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          grants.computeIfAbsent(group.asText() + "/" + resource.asText(), k -> new TreeSet<>()).addAll(texts(rule.path("verbs")));
        }
      }
    }
    return grants;
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> s = new TreeSet<>();
    array.forEach(n -> s.add(n.asText()));
    return s;
  }
}
