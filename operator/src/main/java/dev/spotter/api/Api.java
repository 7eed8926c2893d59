package dev.spotter.api;

/** API group, version and the labels and annotations Spotter puts on the objects it owns. */
public final class Api {
  public static final String GROUP = "spotter.dev";
  public static final String VERSION = "v1alpha1";

  public static final String LABEL_JOB = GROUP + "/job";
  public static final String LABEL_KIND = GROUP + "/kind";
  public static final String LABEL_RANK = GROUP + "/rank";
  public static final String LABEL_ATTEMPT = GROUP + "/attempt";
  public static final String LABEL_POOL = GROUP + "/pool";
  public static final String LABEL_CAPACITY_TYPE = GROUP + "/capacity-type";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "spotter";
  /** The node a pod was planned on; the pod also carries a hostname affinity to it. */
  public static final String ANNOTATION_NODE = GROUP + "/node";
  /** The pool a node belongs to when pools are discovered from node labels. */
  public static final String ANNOTATION_INTERRUPTION = GROUP + "/interruption";

  public static final String DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";

  private Api() {}
}
