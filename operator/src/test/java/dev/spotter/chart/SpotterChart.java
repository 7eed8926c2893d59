package dev.spotter.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The chart under helm/spotter, linted and rendered in-process by helm-java (no helm binary). */
final class SpotterChart {
  static final Path DIR = Path.of("..", "helm", "spotter");
  static final String RELEASE = "spotter";
  static final String NAMESPACE = "spotter-system";
  /** The Kubernetes version the tests render for: 1.30, the first with ValidatingAdmissionPolicy v1 (the agent's optional policy). */
  static final String KUBE_VERSION = "1.30.0";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Every optional part of the chart switched on. */
  static final Map<String, Object> EVERYTHING_ON = Map.of(
      "serviceMonitor.enabled", true,
      "prometheusRule.enabled", true,
      "networkPolicy.enabled", true,
      "rbac.checkpointExec", true,
      "agent.enabled", true,
      "agent.admissionPolicy.enabled", true);

  private SpotterChart() {}

  static LintResult lint() {
    return new Helm(DIR).lint().call();
  }

  /** helm template with the given --set values; the CRDs of crds/ are left out. */
  static String template(Map<String, Object> sets) {
    TemplateCommand cmd = new Helm(DIR).template()
        .withName(RELEASE)
        .withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION)
        .skipCrds();
    sets.forEach(cmd::set);
    return cmd.call();
  }

  static Rendered render(Map<String, Object> sets) {
    return new Rendered(parseAll(template(sets)));
  }

  static Rendered render() {
    return render(Map.of());
  }

  /** Every YAML document of a multi-document stream that is not empty. */
  static List<ObjectNode> parseAll(String yaml) {
    List<ObjectNode> docs = new ArrayList<>();
    try (YAMLParser parser = ((YAMLFactory) YAML.getFactory()).createParser(yaml)) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc instanceof ObjectNode o && !o.isEmpty()) {
          docs.add(o);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(base);
    m.put(key, value);
    return m;
  }

  /** The objects of one rendering. */
  record Rendered(List<ObjectNode> objects) {
    List<ObjectNode> ofKind(String kind) {
      return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    ObjectNode one(String kind) {
      List<ObjectNode> all = ofKind(kind);
      if (all.size() != 1) {
        throw new AssertionError("expected one " + kind + ", rendered " + all.size());
      }
      return all.get(0);
    }

    /** Deployments' and DaemonSets' pod specs, by workload name. */
    Map<String, JsonNode> podSpecs() {
      Map<String, JsonNode> specs = new LinkedHashMap<>();
      for (ObjectNode o : objects) {
        String kind = o.path("kind").asText();
        if (List.of("Deployment", "DaemonSet", "StatefulSet", "Job", "CronJob").contains(kind)) {
          JsonNode template = kind.equals("CronJob")
              ? o.at("/spec/jobTemplate/spec/template")
              : o.at("/spec/template");
          specs.put(kind + "/" + o.at("/metadata/name").asText(), template.path("spec"));
        }
      }
      return specs;
    }
  }
}
