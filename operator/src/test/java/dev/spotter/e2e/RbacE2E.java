package dev.spotter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The operator's ServiceAccount, asked about on the real API server with SubjectAccessReviews:
 * it may do what the chart's ClusterRole and leader-election Role grant, and nothing else, in any
 * namespace. The chart was installed with rbac.checkpointExec=true (the suite's workload uses Exec
 * checkpoints).
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(E2eExtension.class)
class RbacE2E {
  private static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");
  private static final String OTHER_NAMESPACE = "default";

  /** Group, resource and subresource of everything asked about: what the chart names and what it must not grant. */
  private static final List<String[]> NAMESPACED = List.of(
      new String[] {"", "pods", ""}, new String[] {"", "pods", "exec"}, new String[] {"", "pods", "log"},
      new String[] {"", "pods", "eviction"}, new String[] {"", "pods", "status"}, new String[] {"", "services", ""},
      new String[] {"", "events", ""}, new String[] {"", "persistentvolumeclaims", ""}, new String[] {"", "secrets", ""},
      new String[] {"", "configmaps", ""}, new String[] {"", "serviceaccounts", ""}, new String[] {"", "serviceaccounts", "token"},
      new String[] {"", "endpoints", ""}, new String[] {"apps", "deployments", ""}, new String[] {"batch", "jobs", ""},
      new String[] {"events.k8s.io", "events", ""}, new String[] {"policy", "poddisruptionbudgets", ""},
      new String[] {"spotter.dev", "trainingjobs", ""}, new String[] {"spotter.dev", "trainingjobs", "status"},
      new String[] {"spotter.dev", "inferencejobs", ""}, new String[] {"spotter.dev", "inferencejobs", "status"},
      new String[] {"coordination.k8s.io", "leases", ""}, new String[] {"rbac.authorization.k8s.io", "roles", ""},
      new String[] {"rbac.authorization.k8s.io", "rolebindings", ""});
  private static final List<String[]> CLUSTER = List.of(
      new String[] {"", "nodes", ""}, new String[] {"", "nodes", "status"}, new String[] {"", "namespaces", ""},
      new String[] {"", "persistentvolumes", ""}, new String[] {"spotter.dev", "gpupools", ""},
      new String[] {"spotter.dev", "gpupools", "status"}, new String[] {"rbac.authorization.k8s.io", "clusterroles", ""},
      new String[] {"rbac.authorization.k8s.io", "clusterrolebindings", ""},
      new String[] {"apiextensions.k8s.io", "customresourcedefinitions", ""},
      new String[] {"admissionregistration.k8s.io", "validatingadmissionpolicies", ""});

  private static E2eEnvironment env;
  private static List<PolicyRule> clusterRules;
  private static List<PolicyRule> leaseRules;

  @BeforeAll
  static void environment(E2eEnvironment e) {
    env = e;
    clusterRules = e.admin().rbac().clusterRoles().withName(SpotterRelease.NAME).require().getRules();
    leaseRules = e.admin().rbac().roles().inNamespace(SpotterRelease.NAMESPACE).withName(SpotterRelease.NAME + "-leader-election")
        .require().getRules();
  }

  /** One question for the API server's authorizer. */
  private record Ask(String group, String resource, String subresource, String verb, String namespace, String name) {
    String describe() {
      return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (subresource.isEmpty() ? "" : "/" + subresource)
          + (name == null ? "" : " " + name) + (namespace.isEmpty() ? " (cluster)" : " in " + namespace);
    }
  }

  @Test
  void theServiceAccountMayDoExactlyWhatTheChartGrantsAndNoMore() {
    List<Ask> asks = new ArrayList<>();
    for (String verb : VERBS) {
      for (String[] r : NAMESPACED) {
        for (String ns : List.of(SpotterRelease.NAMESPACE, OTHER_NAMESPACE)) {
          asks.add(new Ask(r[0], r[1], r[2], verb, ns, null));
        }
      }
      for (String[] r : CLUSTER) {
        asks.add(new Ask(r[0], r[1], r[2], verb, "", null));
      }
      // the one Lease the chart names, another Lease, in the chart's namespace and elsewhere
      for (String lease : List.of(SpotterRelease.LEASE, "someone-elses-lease")) {
        for (String ns : List.of(SpotterRelease.NAMESPACE, OTHER_NAMESPACE)) {
          asks.add(new Ask("coordination.k8s.io", "leases", "", verb, ns, lease));
        }
      }
    }
    List<String> wrong = new ArrayList<>();
    int allowed = 0;
    for (Ask a : asks) {
      boolean granted = granted(clusterRules, a) || (SpotterRelease.NAMESPACE.equals(a.namespace()) && granted(leaseRules, a));
      boolean answer = allowed(env.admin(), a);
      allowed += answer ? 1 : 0;
      if (answer != granted) {
        wrong.add((answer ? "allowed but the chart does not grant: " : "denied although the chart grants: ") + a.describe());
      }
    }
    assertThat(wrong).as("API server answers that differ from the chart's rules").isEmpty();
    assertThat(allowed).as("the matrix reaches the chart's grants").isGreaterThan(20);
  }

  @Test
  void whatTheOperatorMustNeverDoIsDenied() {
    KubernetesClient admin = env.admin();
    assertThat(allowed(admin, new Ask("", "secrets", "", "get", SpotterRelease.NAMESPACE, null))).as("read Secrets").isFalse();
    assertThat(allowed(admin, new Ask("", "secrets", "", "list", OTHER_NAMESPACE, null))).as("list Secrets").isFalse();
    assertThat(allowed(admin, new Ask("", "nodes", "", "patch", "", null))).as("taint or cordon nodes").isFalse();
    assertThat(allowed(admin, new Ask("spotter.dev", "trainingjobs", "", "update", OTHER_NAMESPACE, null)))
        .as("change a user's spec").isFalse();
    assertThat(allowed(admin, new Ask("coordination.k8s.io", "leases", "", "update", SpotterRelease.NAMESPACE, "kube-scheduler")))
        .as("take another Lease").isFalse();
    // and what the flows of this suite need is there
    assertThat(allowed(admin, new Ask("spotter.dev", "trainingjobs", "status", "update", OTHER_NAMESPACE, null))).isTrue();
    assertThat(allowed(admin, new Ask("", "pods", "exec", "create", OTHER_NAMESPACE, null))).as("Exec checkpoints").isTrue();
    assertThat(allowed(admin, new Ask("coordination.k8s.io", "leases", "", "update", SpotterRelease.NAMESPACE, SpotterRelease.LEASE)))
        .isTrue();
  }

  @Test
  void requestsMadeAsTheServiceAccountAreRefusedWith403() {
    try (KubernetesClient sa = env.cluster().impersonating(SpotterRelease.serviceAccountUser(), SpotterRelease.serviceAccountGroups())) {
      assertThat(sa.nodes().list().getItems()).as("nodes may be read").isNotEmpty();
      KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
          () -> sa.secrets().inNamespace(SpotterRelease.NAMESPACE).list());
      assertThat(e).isNotNull();
      assertThat(e.getCode()).isEqualTo(403);
    }
  }

  private static boolean allowed(KubernetesClient admin, Ask a) {
    SubjectAccessReview review = new SubjectAccessReviewBuilder()
        .withNewSpec()
        .withUser(SpotterRelease.serviceAccountUser())
        .withGroups(SpotterRelease.serviceAccountGroups())
        .withNewResourceAttributes()
        .withGroup(a.group())
        .withResource(a.resource())
        .withSubresource(a.subresource())
        .withVerb(a.verb())
        .withNamespace(a.namespace())
        .withName(a.name())
        .endResourceAttributes()
        .endSpec()
        .build();
    return Boolean.TRUE.equals(admin.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed());
  }

  /** RBAC's own matching, on the chart's rules: group, resource (with subresource), verb, and resourceNames. */
  static boolean granted(List<PolicyRule> rules, Ask a) {
    String resource = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
    for (PolicyRule r : rules) {
      boolean group = r.getApiGroups().contains(a.group()) || r.getApiGroups().contains("*");
      boolean res = r.getResources().contains(resource) || r.getResources().contains("*");
      boolean verb = r.getVerbs().contains(a.verb()) || r.getVerbs().contains("*");
      boolean name = r.getResourceNames() == null || r.getResourceNames().isEmpty()
          || (a.name() != null && r.getResourceNames().contains(a.name()));
      if (group && res && verb && name) {
        return true;
      }
    }
    return false;
  }
}
