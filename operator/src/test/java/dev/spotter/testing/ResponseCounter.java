package dev.spotter.testing;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the API server's answers by method, path prefix and status code, in front of the real store. */
public final class ResponseCounter extends Dispatcher {
  private final Dispatcher delegate;
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  public ResponseCounter(Dispatcher delegate) {
    this.delegate = delegate;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    MockResponse r = delegate.dispatch(request);
    String path = request.getPath();
    int q = path.indexOf('?');
    boolean watch = q >= 0 && path.substring(q).contains("watch=true");
    if (!watch) {
      counts.computeIfAbsent(r.code() + " " + request.getMethod() + " " + (q < 0 ? path : path.substring(0, q)), k -> new AtomicLong())
          .incrementAndGet();
    }
    return r;
  }

  /** Answers so far whose "code METHOD path" starts with {@code prefix}, e.g. "409 PUT /apis/spotter.dev". */
  public long count(String prefix) {
    return counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue().get()).sum();
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }
}
