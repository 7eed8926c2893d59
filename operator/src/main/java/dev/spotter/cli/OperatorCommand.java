package dev.spotter.cli;

import dev.spotter.config.SpotterConfig;
import dev.spotter.operator.SpotterOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** `spotter operator`: runs the operator against the cluster of the current kubeconfig or service account. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Spotter operator against the cluster from the in-cluster service account or ~/.kube/config.",
      "Every option can also be set by its SPOTTER_* environment variable (the Helm chart does that)."
    },
    footerHeading = "%nConfiguration keys (for --set key=value; environment variable; default):%n",
    footer = "%s")
public class OperatorCommand implements Callable<Integer> {

  @picocli.CommandLine.Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set a configuration key (repeatable); see the list below.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    SpotterConfig config = SpotterConfig.load(System.getenv(), overrides);
    Logging.configure(config.logFormat());
    KubernetesClient client = new KubernetesClientBuilder().build();
    SpotterOperator op = new SpotterOperator(client, config, Clock.systemUTC()).start();
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      op.close();
      client.close();
      done.countDown();
    }, "spotter-shutdown"));
    done.await();
    return 0;
  }

  /** The configuration table printed under --help. */
  static String configHelp() {
    StringBuilder b = new StringBuilder();
    for (dev.spotter.config.Option o : dev.spotter.config.Option.values()) {
      b.append(String.format("  %-26s %-38s %s%n      %s%n", o.key(), o.envVar(), o.defaultValue().isEmpty() ? "\"\"" : o.defaultValue(), o.description()));
    }
    return b.toString();
  }
}
