package dev.spotter.agent;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A session token for IMDSv2-style services (AWS, Alibaba): {@code PUT /latest/api/token} with a
 * TTL header, reused until 90% of its life has passed, refreshed early when the service rejects it.
 */
final class MetadataToken {
  private final MetadataHttp http;
  private final URI tokenUri;
  private final String ttlHeader;
  private final Duration ttl;
  private final Clock clock;
  private String token;
  private Instant refreshAt = Instant.MIN;

  MetadataToken(MetadataHttp http, URI base, String ttlHeader, Duration ttl, Clock clock) {
    this.http = http;
    this.tokenUri = base.resolve("/latest/api/token");
    this.ttlHeader = ttlHeader;
    this.ttl = ttl;
    this.clock = clock;
  }

  String get() throws IOException, InterruptedException {
    if (token == null || !clock.instant().isBefore(refreshAt)) {
      MetadataHttp.Answer a = http.put(tokenUri, Map.of(ttlHeader, Long.toString(ttl.toSeconds())));
      String body = a.body().trim();
      if (a.status() != 200 || body.isEmpty()) {
        throw new IOException("token endpoint " + tokenUri + " answered HTTP " + a.status());
      }
      token = body;
      refreshAt = clock.instant().plus(ttl.multipliedBy(9).dividedBy(10));
    }
    return token;
  }

  void invalidate() {
    token = null;
  }

  /** GET with the token in {@code tokenHeader}; one retry with a fresh token on 401/403. */
  MetadataHttp.Answer get(URI uri, String tokenHeader) throws IOException, InterruptedException {
    MetadataHttp.Answer a = http.get(uri, Map.of(tokenHeader, get()));
    if (a.status() == 401 || a.status() == 403) {
      invalidate();
      a = http.get(uri, Map.of(tokenHeader, get()));
    }
    return a;
  }
}
