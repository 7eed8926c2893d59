package dev.spotter.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;

/**
 * The one way the reconcilers write status: one write with the resourceVersion precondition, put
 * into JOSDK's cache at once so the next reconcile sees it, and only when something changed.
 * On a real API server the write is a server-side apply of the whole status by the field manager
 * {@value #FIELD_MANAGER} (option {@code serverSideApply}, JOSDK's
 * {@code useSSAToPatchPrimaryResource}); where the server has none (the embedded API of tests and
 * the demo) it is a PUT of the status subresource. Both send the resourceVersion the decision
 * was made on, so both fail with 409 when the object changed since.
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
    P updated = null;
    if (serverSideApply(ctx) && !applyUnsupported) {
      try {
        updated = apply(resource, ctx.getClient());
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 415) {
          throw e;
        }
        applyUnsupported = true;
        org.slf4j.LoggerFactory.getLogger(StatusWrites.class).warn(
            "the API server does not support server-side apply (415): writing status with update from now on;"
                + " set serverSideApply=false to say so up front");
      }
    }
    if (updated == null) {
      updated = ctx.getClient().resource(resource).updateStatus();
    }
    ctx.eventSourceRetriever().getControllerEventSource().handleRecentResourceUpdate(ResourceID.fromResource(resource), updated, resource);
    return updated;
  }

  /** Set once the API server answered 415 to an apply: it has no server-side apply. */
  private static volatile boolean applyUnsupported;

  /** Field manager of the operator's status writes (server-side apply). */
  static final String FIELD_MANAGER = "spotter-operator";

  private static boolean serverSideApply(Context<?> ctx) {
    return ctx.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource();
  }

  /**
   * Applies the status alone: a fresh object with only the identity, the resourceVersion (the
   * precondition) and the status, so the operator owns status fields and nothing else. Fields it
   * no longer sends (a finished rescue, say) are removed, as with a replace.
   */
  @SuppressWarnings("unchecked")
  static <P extends HasMetadata> P apply(P resource, io.fabric8.kubernetes.client.KubernetesClient client) {
    if (!(resource instanceof CustomResource<?, ?> cr)) {
      throw new IllegalArgumentException("status is applied to Spotter's custom resources only, not " + resource.getKind());
    }
    CustomResource<?, Object> fresh;
    try {
      fresh = (CustomResource<?, Object>) resource.getClass().getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create an empty " + resource.getKind(), e);
    }
    fresh.setMetadata(new ObjectMetaBuilder()
        .withName(resource.getMetadata().getName())
        .withNamespace(resource.getMetadata().getNamespace())
        .withResourceVersion(resource.getMetadata().getResourceVersion())
        .build());
    fresh.setStatus(cr.getStatus());
    return (P) client.resource(fresh).subresource("status").patch(new PatchContext.Builder()
        .withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(FIELD_MANAGER).withForce(true).build());
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
