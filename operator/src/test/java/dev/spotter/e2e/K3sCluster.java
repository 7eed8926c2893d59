package dev.spotter.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A two-node k3s cluster in Docker: the Testcontainers k3s server (which also runs pods) and one
 * k3s agent container that joins it over a private Docker network. Two real kubelets, so a gang
 * can really move from one node to another.
 */
final class K3sCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(K3sCluster.class);

  /** The server's node: the spot pool of the suite. */
  static final String SPOT_NODE = "e2e-spot";
  /** The agent's node: the on-demand pool of the suite. */
  static final String ON_DEMAND_NODE = "e2e-on-demand";
  private static final String SERVER_ALIAS = "k3s-server";

  private final Network network;
  private final K3sContainer server;
  private final GenericContainer<?> agent;
  private final KubernetesClient admin;

  private K3sCluster(Network network, K3sContainer server, GenericContainer<?> agent, KubernetesClient admin) {
    this.network = network;
    this.server = server;
    this.agent = agent;
    this.admin = admin;
  }

  /** Starts the server, then the agent, and waits until both nodes are Ready. */
  static K3sCluster start(String k3sImage) {
    DockerImageName image = DockerImageName.parse(k3sImage);
    String token = "spotter-e2e-" + UUID.randomUUID();
    Network network = Network.newNetwork();
    K3sContainer server = new K3sContainer(image);
    // the module's command, plus a name for the node, a certificate name the agent can reach it by,
    // and no packaged extras the suite does not use
    server.withNetwork(network)
        .withNetworkAliases(SERVER_ALIAS)
        .withEnv("K3S_TOKEN", token)
        .withCommand("server",
            "--disable=traefik", "--disable=servicelb", "--disable=metrics-server", "--disable=local-storage",
            "--tls-san=" + server.getHost(),
            "--tls-san=" + SERVER_ALIAS,
            "--node-name=" + SPOT_NODE)
        .withStartupTimeout(Duration.ofMinutes(4));
    server.start();

    // The agent keeps its own cgroup namespace: with the host's (as the k3s module gives the
    // server) two kubelets would share /kubepods and each would remove the other's pods as orphans.
    // k3s moves itself out of the namespace's root cgroup when it runs as PID 1.
    GenericContainer<?> agent = new GenericContainer<>(image)
        .withNetwork(network)
        .withPrivilegedMode(true)
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withCgroupnsMode("private"))
        .withTmpFs(Map.of("/run", "", "/var/run", ""))
        .withEnv("K3S_URL", "https://" + SERVER_ALIAS + ":6443")
        .withEnv("K3S_TOKEN", token)
        .withCommand("agent", "--node-name=" + ON_DEMAND_NODE)
        .waitingFor(new ContainerStarted());
    KubernetesClient admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
    K3sCluster cluster = new K3sCluster(network, server, agent, admin);
    try {
      agent.start();
      await("both k3s nodes Ready").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2))
          .until(() -> ready(admin, SPOT_NODE) && ready(admin, ON_DEMAND_NODE));
    } catch (RuntimeException e) {
      String logs = cluster.logTail(80);
      cluster.close();
      throw new IllegalStateException("the two-node k3s cluster did not come up\n" + logs, e);
    }
    log.info("k3s cluster up: nodes {}", admin.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).toList());
    return cluster;
  }

  private static boolean ready(KubernetesClient client, String node) {
    Node n = client.nodes().withName(node).get();
    return n != null && n.getStatus() != null && n.getStatus().getConditions() != null
        && n.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The cluster-admin kubeconfig (k3s's own), reachable from this JVM. */
  String kubeconfig() {
    return server.getKubeConfigYaml();
  }

  /** A cluster-admin client: what the tests use to set up, observe and break things. */
  KubernetesClient admin() {
    return admin;
  }

  /** A client that acts as {@code user} with {@code groups}, through the API server's impersonation. */
  KubernetesClient impersonating(String user, String... groups) {
    Config config = Config.fromKubeconfig(server.getKubeConfigYaml());
    config.setImpersonateUsername(user);
    config.setImpersonateGroups(groups);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * Loads an image tarball (docker save format) into the containerd of both nodes, so pods can
   * run it with imagePullPolicy Never.
   */
  void loadImage(Path tar, String expectedName) {
    if (!Files.isRegularFile(tar)) {
      throw new IllegalStateException("no operator image at " + tar.toAbsolutePath()
          + ": run with -Dspotter.e2e.mode=image so that Maven builds it (profile e2e-image), see docs/e2e.md");
    }
    for (GenericContainer<?> node : List.<GenericContainer<?>>of(server, agent)) {
      node.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/spotter-image.tar");
      Container.ExecResult r = exec(node, "k3s", "ctr", "-n", "k8s.io", "images", "import", "/tmp/spotter-image.tar");
      if (r.getExitCode() != 0) {
        throw new IllegalStateException("ctr import failed on a k3s node: " + r.getStderr());
      }
      Container.ExecResult ls = exec(node, "k3s", "ctr", "-n", "k8s.io", "images", "ls", "-q");
      String normalized = expectedName.contains("/") ? expectedName : "docker.io/library/" + expectedName;
      if (!ls.getStdout().lines().anyMatch(normalized::equals)) {
        throw new IllegalStateException("image " + normalized + " not found after import; images: " + ls.getStdout());
      }
    }
  }

  private static Container.ExecResult exec(GenericContainer<?> node, String... command) {
    try {
      return node.execInContainer(command);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The last {@code lines} lines of both nodes' k3s logs, for failure reports. */
  String logTail(int lines) {
    StringBuilder b = new StringBuilder();
    for (var e : Map.of(SPOT_NODE, server, ON_DEMAND_NODE, agent).entrySet()) {
      List<String> all;
      try {
        all = e.getValue().getLogs().lines().toList();
      } catch (RuntimeException notRunning) {
        all = List.of("(no log: " + notRunning.getMessage() + ")");
      }
      b.append("--- k3s log of ").append(e.getKey()).append(" (last ").append(lines).append(" lines)\n");
      all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> b.append(l).append('\n'));
    }
    return b.toString();
  }

  @Override
  public void close() {
    admin.close();
    agent.stop();
    server.stop();
    network.close();
  }

  /** Readiness of the agent is judged by its Node in the API, not by a log line. */
  private static final class ContainerStarted extends AbstractWaitStrategy {
    @Override
    protected void waitUntilReady() {
      // nothing to wait for here: start() waits for the Node to be Ready
    }
  }
}
