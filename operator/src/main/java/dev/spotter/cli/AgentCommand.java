package dev.spotter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotter.agent.AgentConfig;
import dev.spotter.agent.KubernetesNodeMarker;
import dev.spotter.agent.MetadataProbes;
import dev.spotter.agent.NodeMarker;
import dev.spotter.agent.NoticeAgent;
import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeWindows;
import dev.spotter.preemption.source.CloudDetector;
import dev.spotter.preemption.source.NoticeContext;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code spotter agent}: the node agent that turns cloud metadata notices into a node taint. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs on a spot node (as a DaemonSet) and polls the cloud metadata service of that node for "
          + "preemption notices. On one, it taints its own node "
          + "spotter.dev/interruption=<kind>:NoSchedule and annotates it spotter.dev/interruption "
          + "with a JSON object {kind, source, deadline, observedAt, detail}; see docs/notices.md.",
      "It patches only its own node, once per notice, and keeps running when the metadata service "
          + "or the API server is slow or down. RBAC: get and patch on nodes.",
      ""
    },
    footer = {
      "",
      "With --once, each notice found is printed on stdout as one JSON object per line "
          + "(logs go to stderr):",
      "  node        the node name",
      "  kind        SpotInterruption, RebalanceRecommendation, Maintenance,",
      "              Termination",
      "  source      agent-aws, agent-gcp, agent-azure, agent-alibaba, agent-tencent",
      "  deadline    when the node goes, RFC 3339 UTC: the time the cloud gave,",
      "              else now plus the cloud's notice window",
      "  observedAt  when the notice was seen (AWS rebalance: its noticeTime)",
      "  detail      what the metadata service said",
      "",
      "Exit codes: 0 stopped normally, 1 could not start (node missing, cloud not "
          + "detectable), 2 bad usage."
    })
public class AgentCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(AgentCommand.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DETECT_ATTEMPTS = 12;

  @Spec CommandSpec spec;

  @Option(
      names = "--node",
      defaultValue = "${env:NODE_NAME}",
      description = "Name of the node this agent runs on (default: env NODE_NAME, set it from spec.nodeName).")
  String node;

  @Option(
      names = "--cloud",
      defaultValue = "auto",
      description = "auto, aws, gcp, azure, alibaba or tencent. auto reads the node's providerID and labels (default: ${DEFAULT-VALUE}).")
  String cloud;

  @Option(
      names = "--poll-interval",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Pause between two polls (default: ${DEFAULT-VALUE}; AWS advises 5s).")
  Duration pollInterval;

  @Option(
      names = "--connect-timeout",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description = "TCP connect timeout to the metadata service (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(
      names = "--request-timeout",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "Bound on one whole metadata request, answer included (default: ${DEFAULT-VALUE}).")
  Duration requestTimeout;

  @Option(
      names = "--gcp-wait",
      defaultValue = "55s",
      converter = DurationConverter.class,
      description = "How long one GCP wait_for_change request may hang (default: ${DEFAULT-VALUE}).")
  Duration gcpWait;

  @Option(
      names = "--token-ttl",
      defaultValue = "6h",
      converter = DurationConverter.class,
      description = "Lifetime asked for AWS IMDSv2 and Alibaba metadata tokens, at most 6h (default: ${DEFAULT-VALUE}).")
  Duration tokenTtl;

  @Option(names = "--aws-endpoint", defaultValue = "http://169.254.169.254", description = "AWS IMDS base URL (default: ${DEFAULT-VALUE}).")
  URI awsEndpoint;

  @Option(names = "--gcp-endpoint", defaultValue = "http://metadata.google.internal", description = "GCP metadata server base URL (default: ${DEFAULT-VALUE}).")
  URI gcpEndpoint;

  @Option(names = "--azure-endpoint", defaultValue = "http://169.254.169.254", description = "Azure IMDS base URL (default: ${DEFAULT-VALUE}).")
  URI azureEndpoint;

  @Option(names = "--alibaba-endpoint", defaultValue = "http://100.100.100.200", description = "Alibaba Cloud ECS metadata base URL (default: ${DEFAULT-VALUE}).")
  URI alibabaEndpoint;

  @Option(names = "--tencent-endpoint", defaultValue = "http://metadata.tencentyun.com", description = "Tencent Cloud CVM metadata base URL (default: ${DEFAULT-VALUE}).")
  URI tencentEndpoint;

  @Option(
      names = "--azure-vm-name",
      description = "Azure VM name that scheduled events must list (default: asked once from Azure IMDS compute/name).")
  String azureVmName;

  @Option(
      names = "--window",
      paramLabel = "CLOUD=DURATION",
      description = {
        "Notice window of a cloud, for notices that carry no time (GCP); repeatable.",
        "Defaults: aws=120s gcp=30s azure=30s alibaba=5m tencent=120s unknown=30s."
      })
  Map<String, String> windows = new LinkedHashMap<>();

  @Option(names = "--once", description = "Poll once, print the notices found as JSON lines on stdout, mark the node, and exit.")
  boolean once;

  @Option(names = "--dry-run", description = "Log notices but never touch the node (with --cloud set, needs no API server).")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    AgentConfig config = config();
    KubernetesClient client = needsClient(config) ? new KubernetesClientBuilder().build() : null;
    try {
      Cloud c = config.cloud() != null ? config.cloud() : detect(client, config);
      if (c == null) {
        return 1;
      }
      NoticeContext ctx = new NoticeContext(Clock.systemUTC(), config.windows());
      NodeMarker marker = dryRun ? dryRunMarker() : new KubernetesNodeMarker(client);
      NoticeAgent agent = new NoticeAgent(MetadataProbes.forCloud(c, config, ctx), marker, config.pollInterval());
      LOG.info("spotter agent on node {} ({}), dry-run {}", config.node(), c.tag(), dryRun);
      if (once) {
        PrintWriter out = spec.commandLine().getOut();
        for (Notice n : agent.pollOnce()) {
          out.println(json(n));
        }
        out.flush();
        return 0;
      }
      AtomicBoolean running = new AtomicBoolean(true);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> running.set(false), "agent-shutdown"));
      agent.run(running::get);
      return 0;
    } finally {
      if (client != null) {
        client.close();
      }
    }
  }

  AgentConfig config() {
    if (node == null || node.isBlank()) {
      throw new ParameterException(spec.commandLine(), "no node name: pass --node or set NODE_NAME");
    }
    Cloud chosen = null;
    if (!"auto".equalsIgnoreCase(cloud)) {
      chosen =
          Cloud.fromTag(cloud)
              .filter(c -> c != Cloud.Unknown)
              .orElseThrow(() -> new ParameterException(spec.commandLine(), "unknown --cloud " + cloud));
    }
    Map<Cloud, URI> endpoints = new EnumMap<>(Cloud.class);
    endpoints.put(Cloud.Aws, awsEndpoint);
    endpoints.put(Cloud.Gcp, gcpEndpoint);
    endpoints.put(Cloud.Azure, azureEndpoint);
    endpoints.put(Cloud.Alibaba, alibabaEndpoint);
    endpoints.put(Cloud.Tencent, tencentEndpoint);
    if (tokenTtl.compareTo(Duration.ofHours(6)) > 0) {
      throw new ParameterException(spec.commandLine(), "--token-ttl may not exceed 6h");
    }
    try {
      return new AgentConfig(
          node.trim(), chosen, endpoints, pollInterval, connectTimeout, requestTimeout, tokenTtl, gcpWait,
          azureVmName, noticeWindows());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private NoticeWindows noticeWindows() {
    NoticeWindows w = NoticeWindows.DEFAULTS;
    DurationConverter durations = new DurationConverter();
    for (var e : windows.entrySet()) {
      Cloud c =
          Cloud.fromTag(e.getKey())
              .orElseThrow(() -> new ParameterException(spec.commandLine(), "unknown cloud in --window " + e.getKey()));
      try {
        w = w.with(c, durations.convert(e.getValue()));
      } catch (RuntimeException ex) {
        throw new ParameterException(spec.commandLine(), "--window " + e.getKey() + ": " + ex.getMessage());
      }
    }
    return w;
  }

  private boolean needsClient(AgentConfig config) {
    return !dryRun || config.cloud() == null;
  }

  /** Reads the cloud off the node; the API server may still be starting, so it retries a while. */
  private Cloud detect(KubernetesClient client, AgentConfig config) throws InterruptedException {
    for (int attempt = 1; attempt <= DETECT_ATTEMPTS; attempt++) {
      try {
        Node n = client.nodes().withName(config.node()).get();
        if (n == null) {
          LOG.error("node {} does not exist; check --node / NODE_NAME", config.node());
          return null;
        }
        Cloud c = CloudDetector.of(n);
        if (c == Cloud.Unknown) {
          LOG.error("cannot tell the cloud of node {} (providerID {}); pass --cloud", config.node(), n.getSpec() == null ? null : n.getSpec().getProviderID());
          return null;
        }
        return c;
      } catch (RuntimeException e) {
        LOG.warn("reading node {} to detect the cloud failed (attempt {}/{}): {}", config.node(), attempt, DETECT_ATTEMPTS, e.toString());
        Thread.sleep(config.pollInterval().toMillis());
      }
    }
    LOG.error("gave up detecting the cloud; pass --cloud");
    return null;
  }

  private static NodeMarker dryRunMarker() {
    return n -> {
      LOG.warn("dry run: would mark node {} with {}", n.node(), dev.spotter.preemption.InterruptionMark.encode(n));
      return false;
    };
  }

  static String json(Notice n) throws JsonProcessingException {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("node", n.node());
    m.put("kind", n.kind().name());
    m.put("source", n.source().tag());
    m.put("deadline", n.deadline().toString());
    m.put("observedAt", n.observedAt().toString());
    m.put("detail", n.detail());
    return JSON.writeValueAsString(m);
  }
}
