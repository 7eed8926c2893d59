package dev.spotter.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;

/**
 * The one way the reconcilers write status: with the resourceVersion precondition, into JOSDK's
 * cache at once so the next reconcile sees it, and only when something changed.
 *
 * <p>A conflict (409) is not retried here: the decision was made on the object at that
 * resourceVersion, and writing it over a newer one would overwrite what another writer recorded.
 * The exception ends the reconcile; JOSDK retries it on the fresh object.
 */
final class StatusWrites {
  private StatusWrites() {}

  /** Writes the status now (intent before side effects); returns the stored object. */
  static <P extends HasMetadata> P record(P resource, Context<P> ctx) {
    P updated = ctx.getClient().resource(resource).updateStatus();
    ctx.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(resource), updated, resource);
    return updated;
  }

  /** Writes the status when it differs from {@code before} (its JSON), then asks for a requeue or none. */
  static <P extends HasMetadata> UpdateControl<P> writeIfChanged(P resource, Object status, Context<P> ctx, String before,
      Duration requeue) {
    if (!before.equals(Serialization.asJson(status))) {
      record(resource, ctx);
    }
    UpdateControl<P> c = UpdateControl.noUpdate();
    if (requeue != null) {
      c.rescheduleAfter(requeue);
    }
    return c;
  }
}
