package dev.spotter.demo;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Puts API faults in front of the embedded API server, the way a real control plane fails:
 *
 * <ul>
 *   <li>{@link #failEvery}: every n-th write (POST, PUT, PATCH, DELETE) answers 409 Conflict or
 *       500, alternately, without reaching the store;
 *   <li>{@link #timeoutEvery}: every n-th write is answered only after a delay longer than the
 *       client's request timeout; alternately the write was applied and only its answer is late
 *       (the client cannot tell it happened), or it never reached the store (504 after the delay);
 *   <li>{@link #endWatchesWithGone}: every open watch gets an ERROR event with a 410 Gone status
 *       ("too old resource version", as after an etcd compaction) and is closed, so informers
 *       must list again and start a new watch.
 * </ul>
 *
 * Counts every fault it injects, writes by method and path and reads by path (a relist after a
 * 410 shows as one), so tests can check the faults happened and that a settled job causes no
 * writes.
 */
public final class FaultInjectingDispatcher extends Dispatcher {
  private final Dispatcher delegate;
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong faults = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();
  private final AtomicLong watchesGone = new AtomicLong();
  private final Map<String, AtomicLong> byMethodAndPath = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> readsByPath = new ConcurrentHashMap<>();
  private final Set<Watch> openWatches = ConcurrentHashMap.newKeySet();
  private final List<Predicate<RecordedRequest>> armed = new CopyOnWriteArrayList<>();
  private volatile int failEvery;
  private volatile int timeoutEvery;
  private volatile Duration timeoutDelay = Duration.ofSeconds(2);

  public FaultInjectingDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
  }

  /** Starts failing one write in {@code every} with 409 or 500; 0 stops. */
  public void failEvery(int every) {
    this.failEvery = every;
  }

  /**
   * Starts answering one write in {@code every} only after {@code delay} (make it longer than the
   * client's request timeout); 0 stops. Writes failed by {@link #failEvery} are not also delayed.
   */
  public void timeoutEvery(int every, Duration delay) {
    this.timeoutDelay = delay;
    this.timeoutEvery = every;
  }

  /**
   * Fails, once, the next write the predicate picks with 409 Conflict (not applied; a 5xx would be
   * retried inside the fabric8 client): for tests that need one particular write to fail, say
   * the status write that records a move.
   */
  public void failOnce(Predicate<RecordedRequest> which) {
    armed.add(which);
  }

  /** Stops every kind of fault. */
  public void calm() {
    failEvery = 0;
    timeoutEvery = 0;
  }

  /**
   * Ends every watch open now with a 410 Gone ERROR event, as an API server does when the
   * watch's resourceVersion has been compacted away.
   *
   * @return how many watches were ended
   */
  public int endWatchesWithGone() {
    int n = 0;
    for (Watch w : openWatches) {
      if (w.gone()) {
        n++;
      }
    }
    watchesGone.addAndGet(n);
    return n;
  }

  /** 409 and 500 answers injected so far. */
  public long faults() {
    return faults.get();
  }

  /** Writes answered late so far. */
  public long timeouts() {
    return timeouts.get();
  }

  /** Watches ended with 410 Gone so far. */
  public long watchesGone() {
    return watchesGone.get();
  }

  /** Every fault injected so far, of every kind. */
  public long injected() {
    return faults() + timeouts() + watchesGone();
  }

  /**
   * Reads (GETs other than watches) of exactly this path so far; for a collection such as
   * "/api/v1/pods" these are the lists informers make when they start and after a 410.
   */
  public long reads(String path) {
    AtomicLong n = readsByPath.get(path);
    return n == null ? 0 : n.get();
  }

  /** Watches open now. */
  public int openWatches() {
    return openWatches.size();
  }

  /** Writes seen so far whose method and path start with {@code prefix}, e.g. "PUT /apis/spotter.dev". */
  public long writes(String prefix) {
    return byMethodAndPath.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue().get()).sum();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String method = request.getMethod();
    String path = request.getPath();
    int q = path.indexOf('?');
    String bare = q < 0 ? path : path.substring(0, q);
    if ("GET".equals(method)) {
      MockResponse r = delegate.dispatch(request);
      if (r.getWebSocketListener() != null) {
        return r.withWebSocketUpgrade(new Watch(r.getWebSocketListener()));
      }
      readsByPath.computeIfAbsent(bare, k -> new AtomicLong()).incrementAndGet();
      return r;
    }
    byMethodAndPath.computeIfAbsent(method + " " + bare, k -> new AtomicLong()).incrementAndGet();
    long n = writes.incrementAndGet();
    for (Predicate<RecordedRequest> p : armed) {
      if (p.test(request) && armed.remove(p)) {
        faults.incrementAndGet();
        return status(409, "Conflict", "injected fault (picked)");
      }
    }
    int fail = failEvery;
    if (fail > 0 && n % fail == 0) {
      long f = faults.incrementAndGet();
      int code = f % 2 == 0 ? 500 : 409;
      return status(code, code == 409 ? "Conflict" : "InternalError", "injected fault");
    }
    int late = timeoutEvery;
    if (late > 0 && n % late == 0) {
      long t = timeouts.incrementAndGet();
      MockResponse r = t % 2 == 1 ? delegate.dispatch(request) : status(504, "Timeout", "injected timeout: the write was not applied");
      if (r.getBody() == null || r.getBody().size() == 0) {
        // the mock server sends an empty answer at once, whatever the delay: give it a body to hold back
        r.setBody(statusJson(r.code(), "Late", "injected timeout"));
      }
      return r.setBodyDelay(timeoutDelay);
    }
    return delegate.dispatch(request);
  }

  private static MockResponse status(int code, String reason, String message) {
    return new MockResponse().setResponseCode(code).setBody(statusJson(code, reason, message));
  }

  private static String statusJson(int code, String reason, String message) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"metadata\":{},\"status\":\"Failure\",\"reason\":\"" + reason
        + "\",\"code\":" + code + ",\"message\":\"" + message + "\"}";
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  /** One open watch, wrapped so it can be ended with a 410 the way an API server ends it. */
  private final class Watch extends WebSocketListener {
    private final WebSocketListener inner;
    private volatile WebSocket socket;

    Watch(WebSocketListener inner) {
      this.inner = inner;
    }

    boolean gone() {
      WebSocket s = socket;
      if (s == null || !openWatches.remove(this)) {
        return false;
      }
      s.send("{\"type\":\"ERROR\",\"object\":" + statusJson(410, "Expired", "too old resource version (injected)") + "}");
      s.close(1000, "watch expired");
      return true;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
      inner.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      socket = webSocket;
      openWatches.add(this);
      inner.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      inner.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
      inner.onMessage(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      inner.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      openWatches.remove(this);
      inner.onClosed(webSocket, code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable error, Response response) {
      openWatches.remove(this);
      inner.onFailure(webSocket, error, response);
    }
  }
}
