package dev.spotter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.spotter.config.SpotterConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The values the E2E suite installs the chart with, rendered here by helm-java as the install
 * would (values schema included): the objects the suite looks up by name exist, and each mode gets
 * the operator setup the suite relies on. Runs in every build.
 */
class SpotterReleaseTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void inProcessModeGetsLeaderElectionTheExecGrantAndAConfigurationTheOperatorAccepts() throws IOException {
    List<HasMetadata> objects = render(E2eSettings.Mode.INPROCESS);
    Deployment d = find(objects, Deployment.class, SpotterRelease.NAME);
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(SpotterRelease.SERVICE_ACCOUNT);
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("Never");

    SpotterConfig config = SpotterConfig.load(SpotterRelease.operatorEnvironment(d), Map.of("metricsPort", "-1"));
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.leaderElectionNamespace()).isEqualTo(SpotterRelease.NAMESPACE);
    assertThat(config.leaderElectionLease()).isEqualTo(SpotterRelease.LEASE);
    assertThat(config.pendingRecheck()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.metricsPort()).isEqualTo(-1);

    Role lease = find(objects, Role.class, SpotterRelease.NAME + "-leader-election");
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(SpotterRelease.NAMESPACE);
    assertThat(lease.getRules()).anyMatch(r -> r.getResourceNames() != null && r.getResourceNames().contains(SpotterRelease.LEASE));
    ClusterRole role = find(objects, ClusterRole.class, SpotterRelease.NAME);
    assertThat(role.getRules()).anyMatch(r -> r.getResources().contains("pods/exec") && r.getVerbs().contains("create"));
  }

  @Test
  void imageModeRunsTwoReplicasOfTheBuiltImageWithoutPulling() throws IOException {
    List<HasMetadata> objects = render(E2eSettings.Mode.IMAGE);
    Deployment d = find(objects, Deployment.class, SpotterRelease.NAME);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("spotter:e2e");
    assertThat(container.getImagePullPolicy()).isEqualTo("Never");
    assertThat(SpotterConfig.load(SpotterRelease.operatorEnvironment(d), Map.of()).leaderElection()).isTrue();
    assertThat(find(objects, Role.class, SpotterRelease.NAME + "-leader-election")).isNotNull();
  }

  private static List<HasMetadata> render(E2eSettings.Mode mode) throws IOException {
    E2eSettings settings = new E2eSettings(mode, "rancher/k3s:test", Path.of("..", "helm", "spotter"), "spotter:e2e",
        Path.of("target", "none.tar"));
    TemplateCommand cmd = new Helm(settings.chart()).template()
        .withName(SpotterRelease.NAME)
        .withNamespace(SpotterRelease.NAMESPACE)
        .withKubeVersion("1.33.0")
        .skipCrds();
    SpotterRelease.values(settings).forEach(cmd::set);
    List<HasMetadata> out = new ArrayList<>();
    try (YAMLParser parser = ((YAMLFactory) YAML.getFactory()).createParser(cmd.call())) {
      var docs = YAML.readValues(parser, JsonNode.class);
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && doc.has("kind")) {
          out.add(SERIALIZATION.unmarshal(YAML.writeValueAsString(doc)));
        }
      }
    }
    return out;
  }

  private static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream().filter(type::isInstance).map(type::cast)
        .filter(o -> name.equals(o.getMetadata().getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in the rendered chart"));
  }
}
