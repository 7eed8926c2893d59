package dev.spotter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is generated from {@link Option}; rewrite with -Dspotter.updateDocs=true. */
class ConfigurationDocTest {
  static String render() {
    StringBuilder b = new StringBuilder();
    b.append("# Operator configuration\n\n")
        .append("Generated from `operator/src/main/java/dev/spotter/config/Option.java`; do not edit.\n\n")
        .append("Set an option with its environment variable, or with `spotter operator --set key=value`;\n")
        .append("the Helm chart sets the environment variables from its values.\n\n")
        .append("| key | environment variable | default | what it does |\n|---|---|---|---|\n");
    for (Option o : Option.values()) {
      b.append("| `").append(o.key()).append("` | `").append(o.envVar()).append("` | ")
          .append(o.defaultValue().isEmpty() ? "(empty)" : "`" + o.defaultValue() + "`").append(" | ")
          .append(o.description()).append(" |\n");
    }
    return b.toString();
  }

  @Test
  void configurationDocMatchesTheOptions() throws IOException {
    Path doc = Path.of("..", "docs", "configuration.md");
    if (Boolean.getBoolean("spotter.updateDocs")) {
      Files.writeString(doc, render());
    }
    assertThat(doc).exists();
    assertThat(Files.readString(doc))
        .as("docs/configuration.md drifted from Option.java: run ./mvnw -B verify -Dspotter.updateDocs=true")
        .isEqualTo(render());
  }
}
