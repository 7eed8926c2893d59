package dev.spotter.testing;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Every write the API server accepted, in the order it accepted them, with the request body. */
public final class RequestLog extends Dispatcher {
  /** One accepted write. */
  public record Write(String method, String path, String body) {}

  private final Dispatcher delegate;
  private final List<Write> writes = new ArrayList<>();

  public RequestLog(Dispatcher delegate) {
    this.delegate = delegate;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if ("GET".equals(request.getMethod())) {
      return delegate.dispatch(request);
    }
    String body = request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    // the order of acceptance is the order of the store: hold the log while the store answers
    synchronized (writes) {
      MockResponse r = delegate.dispatch(request);
      if (r.code() >= 200 && r.code() < 300) {
        String path = request.getPath();
        int q = path.indexOf('?');
        writes.add(new Write(request.getMethod(), q < 0 ? path : path.substring(0, q), body));
      }
      return r;
    }
  }

  public List<Write> writes() {
    synchronized (writes) {
      return List.copyOf(writes);
    }
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }
}
