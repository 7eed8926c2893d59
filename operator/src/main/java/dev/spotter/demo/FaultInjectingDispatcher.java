package dev.spotter.demo;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts API faults in front of the embedded API server: every {@code every}-th write (POST, PUT,
 * PATCH, DELETE) answers 409 Conflict or 500, alternately, without reaching the store. Counts
 * writes by method, so tests can also check that a settled job causes none.
 */
public final class FaultInjectingDispatcher extends Dispatcher {
  private final Dispatcher delegate;
  private final AtomicBoolean enabled = new AtomicBoolean();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong faults = new AtomicLong();
  private final Map<String, AtomicLong> byMethodAndPath = new ConcurrentHashMap<>();
  private volatile int every = 5;

  public FaultInjectingDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
  }

  /** Starts failing one write in {@code every}; 0 stops. */
  public void failEvery(int every) {
    this.every = every;
    enabled.set(every > 0);
  }

  public long faults() {
    return faults.get();
  }

  /** Writes seen so far whose method and path start with {@code prefix}, e.g. "PUT /apis/spotter.dev". */
  public long writes(String prefix) {
    return byMethodAndPath.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue().get()).sum();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String method = request.getMethod();
    boolean write = !"GET".equals(method);
    if (write) {
      String path = request.getPath();
      int q = path.indexOf('?');
      byMethodAndPath.computeIfAbsent(method + " " + (q < 0 ? path : path.substring(0, q)), k -> new AtomicLong()).incrementAndGet();
      long n = writes.incrementAndGet();
      if (enabled.get() && n % every == 0) {
        long f = faults.incrementAndGet();
        int code = f % 2 == 0 ? 500 : 409;
        return new MockResponse().setResponseCode(code).setBody("{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\","
            + "\"reason\":\"" + (code == 409 ? "Conflict" : "InternalError") + "\",\"code\":" + code + ",\"message\":\"injected fault\"}");
      }
    }
    return delegate.dispatch(request);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }
}
