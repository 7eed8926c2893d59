package dev.spotter.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A metadata service on 127.0.0.1 for tests: each path answers through a function of the request,
 * so a test can play the documented behaviour of AWS, GCP, Azure, Alibaba or Tencent, including
 * header checks, slowness and garbage.
 */
final class FakeMetadataServer implements AutoCloseable {
  /** What the server saw: method, path with query, and the headers the agent must send. */
  record Seen(String method, String pathAndQuery, Map<String, List<String>> headers) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  /** One answer. */
  record Reply(int status, String body, Map<String, String> headers, Duration delay) {
    static Reply of(int status, String body) {
      return new Reply(status, body, Map.of(), Duration.ZERO);
    }

    Reply withHeader(String name, String value) {
      Map<String, String> h = new ConcurrentHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, body, h, delay);
    }

    Reply after(Duration d) {
      return new Reply(status, body, headers, d);
    }
  }

  private final HttpServer server;
  private final ExecutorService pool;
  private final Map<String, Function<Seen, Reply>> routes = new ConcurrentHashMap<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  FakeMetadataServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-metadata");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Routes a path (without query) to a reply function. */
  FakeMetadataServer on(String path, Function<Seen, Reply> reply) {
    routes.put(path, reply);
    return this;
  }

  FakeMetadataServer on(String path, Reply reply) {
    return on(path, s -> reply);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Seen> seen() {
    return seen;
  }

  List<Seen> seen(String path) {
    return seen.stream().filter(s -> s.pathAndQuery().startsWith(path)).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      URI u = ex.getRequestURI();
      Seen s =
          new Seen(
              ex.getRequestMethod(),
              u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()),
              Map.copyOf(ex.getRequestHeaders()));
      seen.add(s);
      Function<Seen, Reply> route = routes.get(u.getRawPath());
      Reply r = route == null ? Reply.of(404, "Not Found") : route.apply(s);
      if (!r.delay().isZero()) {
        try {
          Thread.sleep(r.delay().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
      r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      ex.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (IOException e) {
      // the agent gave up on a slow answer and closed the connection: expected
    }
  }

  /** A base URL where nothing listens: a down metadata service. */
  static URI down() throws IOException {
    try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
