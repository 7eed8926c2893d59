package dev.spotter.preemption.source;

/** One answer of a cloud metadata service: HTTP status and body text. */
public record MetadataResponse(int status, String body) {
  public MetadataResponse {
    body = body == null ? "" : body;
  }

  public boolean ok() {
    return status == 200;
  }

  public boolean notFound() {
    return status == 404;
  }
}
