package dev.spotter.agent;

import dev.spotter.preemption.source.MetadataResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent's only HTTP door: JDK HttpClient, HTTP/1.1, no proxy, and a hard bound on each whole
 * exchange (headers and body), so a metadata service that hangs mid-answer cannot stall the agent.
 */
final class MetadataHttp {
  /** One answer: status, body and the one header the agent reads (GCP's ETag). */
  record Answer(int status, String body, Optional<String> etag) {
    MetadataResponse response() {
      return new MetadataResponse(status, body);
    }
  }

  private final HttpClient client;
  private final Duration requestTimeout;

  MetadataHttp(Duration connectTimeout, Duration requestTimeout) {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
    this.requestTimeout = requestTimeout;
  }

  Answer get(URI uri, Map<String, String> headers) throws IOException, InterruptedException {
    return get(uri, headers, requestTimeout);
  }

  Answer get(URI uri, Map<String, String> headers, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().timeout(timeout);
    headers.forEach(b::header);
    return send(b.build(), timeout);
  }

  Answer put(URI uri, Map<String, String> headers) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.noBody()).timeout(requestTimeout);
    headers.forEach(b::header);
    return send(b.build(), requestTimeout);
  }

  private Answer send(HttpRequest request, Duration timeout) throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    try {
      HttpResponse<String> r = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Answer(r.statusCode(), r.body(), r.headers().firstValue("ETag"));
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new HttpTimeoutException(request.method() + " " + request.uri() + " took over " + timeout);
    } catch (InterruptedException e) {
      pending.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(request.method() + " " + request.uri() + ": " + cause, cause);
    }
  }
}
