package dev.spotter.demo;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;

/**
 * An in-process Kubernetes API (the fabric8 mock server in CRUD mode: real HTTP, real watches)
 * with Spotter's CRDs installed, for the demo, the benchmarks and the integration tests.
 */
public final class EmbeddedApiServer implements AutoCloseable {
  /** Operator options for this server: it has no server-side apply, so status is written with update. */
  public static final java.util.Map<String, String> OPERATOR_OPTIONS = java.util.Map.of("serverSideApply", "false");

  public static final List<String> CRDS =
      List.of("trainingjobs.spotter.dev", "inferencejobs.spotter.dev", "gpupools.spotter.dev");

  /** Held so the JUL logger and its level are not garbage collected. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING); // it logs every request at INFO
  }

  private final KubernetesMockServer server;
  private final NamespacedKubernetesClient client;

  public EmbeddedApiServer() {
    this(new IndexedCrudDispatcher());
  }

  /** With a custom dispatcher, for example one that injects faults in front of the CRUD one. */
  public EmbeddedApiServer(Dispatcher dispatcher) {
    this(dispatcher, null);
  }

  /**
   * With a custom dispatcher and a client that gives up on a request after {@code requestTimeout}
   * (the client of a cluster install has fabric8's 10 s; the mock server's client has none unless
   * given one), so a late answer surfaces as a timeout, as it would against a real API server.
   */
  public EmbeddedApiServer(Dispatcher dispatcher, java.time.Duration requestTimeout) {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    try {
      server.init(InetAddress.getLoopbackAddress(), 0);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot start the embedded API server on 127.0.0.1", e);
    }
    client = requestTimeout == null ? server.createClient()
        : server.createClient(b -> b.editOrNewConfig().withRequestTimeout((int) requestTimeout.toMillis()).endConfig());
    installCrds();
  }

  private void installCrds() {
    for (String name : CRDS) {
      try (InputStream in = EmbeddedApiServer.class.getResourceAsStream("/crds/" + name + ".yaml")) {
        if (in == null) {
          throw new IllegalStateException("CRD " + name + " is missing from the jar (crds/ not packaged?)");
        }
        CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public NamespacedKubernetesClient client() {
    return client;
  }

  public String url() {
    return client.getConfiguration().getMasterUrl();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
