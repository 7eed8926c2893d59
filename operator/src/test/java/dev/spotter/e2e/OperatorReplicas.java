package dev.spotter.e2e;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The operator under test, two replicas with leader election as the chart runs it: either the
 * chart's own pods (mode image) or two operators in the test JVM (mode inprocess).
 */
interface OperatorReplicas extends AutoCloseable {

  /** One line for logs and docs: what runs the operator. */
  String describe();

  /**
   * Takes the leading replica away (deletes its pod, or stops it in process) and returns the
   * identity that held the Lease. Another replica must take over by itself.
   */
  String stopLeader();

  /** What the replicas said lately, for failure reports. */
  String diagnostics();

  @Override
  void close();

  /** The holder of the chart's leader-election Lease, or null while none holds it. */
  static String leaseHolder(KubernetesClient admin) {
    Lease lease = admin.leases().inNamespace(SpotterRelease.NAMESPACE).withName(SpotterRelease.LEASE).get();
    if (lease == null || lease.getSpec() == null) {
      return null;
    }
    String holder = lease.getSpec().getHolderIdentity();
    return holder == null || holder.isBlank() ? null : holder;
  }
}
