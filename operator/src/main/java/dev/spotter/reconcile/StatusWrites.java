package dev.spotter.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;

/**
 * The one way the reconcilers write status: one PUT with the resourceVersion precondition, put
 * into JOSDK's cache at once so the next reconcile sees it, and only when something changed.
 *
 * <p>A conflict (409) is never retried here: it means the object changed since it was read (an
 * edit, or another operator that advanced the attempt), so the decision made on the old copy is
 * void. The exception fails the reconcile, JOSDK retries it on the fresh copy, and no pod is
 * created or deleted on the strength of an intent that was not recorded. (JOSDK's
 * {@code PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource} would instead re-apply the
 * change to the fresh copy, overwriting the other writer's intent.)
 */
final class StatusWrites {
  private StatusWrites() {}

  /** Writes the status now (intent before side effects); returns the stored object. */
  static <P extends HasMetadata> P record(P resource, Context<P> ctx) {
    if (resource.getMetadata().getResourceVersion() == null) {
      throw new IllegalStateException("no resourceVersion on " + ResourceID.fromResource(resource) + ": a status write needs the precondition");
    }
    P updated = ctx.getClient().resource(resource).updateStatus();
    ctx.eventSourceRetriever().getControllerEventSource().handleRecentResourceUpdate(ResourceID.fromResource(resource), updated, resource);
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
