package dev.spotter.reconcile;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes core/v1 Events, so `kubectl describe` tells the story of a job. Never fails a reconcile. */
public final class EventRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final AtomicLong SEQ = new AtomicLong();

  private final KubernetesClient client;
  private final Clock clock;
  /** Events are sent in the background, as client-go's broadcaster does: a reconcile never waits for one. */
  private final java.util.concurrent.ThreadPoolExecutor sender = new java.util.concurrent.ThreadPoolExecutor(
      1, 1, 0, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(10_000), r -> {
        Thread t = new Thread(r, "spotter-events");
        t.setDaemon(true);
        return t;
      }, (r, ex) -> log.warn("event queue full: dropping an event"));

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata obj, String reason, String message) {
    record(obj, "Normal", reason, message);
  }

  public void warning(HasMetadata obj, String reason, String message) {
    record(obj, "Warning", reason, message);
  }

  private void record(HasMetadata obj, String type, String reason, String message) {
    String ns = obj.getMetadata().getNamespace() == null ? "default" : obj.getMetadata().getNamespace();
    String now = clock.instant().toString();
    String name = obj.getMetadata().getName() + "." + Long.toHexString(System.currentTimeMillis())
        + Long.toHexString(SEQ.incrementAndGet());
    var event = new EventBuilder()
        .withNewMetadata().withName(name.toLowerCase(Locale.ROOT)).withNamespace(ns).endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(obj.getApiVersion()).withKind(obj.getKind())
            .withName(obj.getMetadata().getName()).withNamespace(obj.getMetadata().getNamespace())
            .withUid(obj.getMetadata().getUid()).withResourceVersion(obj.getMetadata().getResourceVersion())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent("spotter-operator").endSource()
        .withReportingComponent("spotter.dev/operator")
        .build();
    sender.execute(() -> {
      try {
        client.v1().events().inNamespace(ns).resource(event).create();
      } catch (KubernetesClientException e) {
        log.debug("could not record event {} on {}: {}", reason, obj.getMetadata().getName(), e.getMessage());
      } catch (RuntimeException e) {
        // the client was closed under a queued event (shutdown): the event is lost, nothing else is
        log.debug("could not record event {} on {}: {}", reason, obj.getMetadata().getName(), e.toString());
      }
    });
    log.debug("{} {} {}/{} {}: {}", type, obj.getKind(), ns, obj.getMetadata().getName(), reason, message);
  }

  /** Sends what is queued (for a bounded time), then stops and drops the rest. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      if (!sender.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
        int dropped = sender.shutdownNow().size();
        log.info("stopped with {} event(s) not yet sent", dropped);
      }
    } catch (InterruptedException e) {
      sender.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
