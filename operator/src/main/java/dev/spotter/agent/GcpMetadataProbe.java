package dev.spotter.agent;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.source.GcpPreemptedParser;
import dev.spotter.preemption.source.NoticeContext;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * GCP: {@code /computeMetadata/v1/instance/preempted} with header {@code Metadata-Flavor: Google}.
 * The first request reads the value and its ETag; later ones hang with {@code
 * wait_for_change=true&last_etag=...&timeout_sec=...} until the value changes, so a preemption
 * that happens between two polls is still seen at once.
 */
final class GcpMetadataProbe implements MetadataProbe {
  private static final Map<String, String> HEADERS = Map.of("Metadata-Flavor", "Google");

  private final String node;
  private final MetadataHttp http;
  private final URI preempted;
  private final Duration wait;
  private final Duration requestTimeout;
  private final NoticeContext ctx;
  private final GcpPreemptedParser parser = new GcpPreemptedParser();
  private String etag;

  GcpMetadataProbe(AgentConfig config, MetadataHttp http, NoticeContext ctx) {
    this.node = config.node();
    this.http = http;
    this.preempted = config.endpoint(Cloud.Gcp).resolve("/computeMetadata/v1/instance/preempted");
    this.wait = config.gcpWait();
    this.requestTimeout = config.requestTimeout();
    this.ctx = ctx;
  }

  @Override
  public Cloud cloud() {
    return Cloud.Gcp;
  }

  @Override
  public List<Notice> poll() throws IOException, InterruptedException {
    MetadataHttp.Answer a;
    if (etag == null) {
      a = http.get(preempted, HEADERS);
    } else {
      URI waiting =
          URI.create(
              preempted
                  + "?wait_for_change=true&last_etag="
                  + etag
                  + "&timeout_sec="
                  + wait.toSeconds());
      a = http.get(waiting, HEADERS, wait.plus(requestTimeout));
    }
    // a changed or missing ETag resets the long poll; only a clean answer may carry it forward
    etag = a.status() == 200 ? a.etag().filter(e -> e.matches("[A-Za-z0-9_-]+")).orElse(null) : null;
    return parser.parse(node, a.response(), ctx).map(List::of).orElse(List.of());
  }
}
