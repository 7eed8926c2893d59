package dev.spotter.testing;

import dev.spotter.api.InferenceCapacity;
import dev.spotter.api.InferenceJob;
import dev.spotter.api.InferenceJobSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Test fixture: {@code InferenceJobs.named("chat").replicas(10).build()}. */
public final class InferenceJobs {
  private final InferenceJob job = new InferenceJob();

  private InferenceJobs(String name) {
    job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    InferenceJobSpec spec = new InferenceJobSpec();
    spec.setImage("ghcr.io/example/serve:1.0");
    spec.setCapacity(new InferenceCapacity());
    job.setSpec(spec);
  }

  public static InferenceJobs named(String name) {
    return new InferenceJobs(name);
  }

  public InferenceJobs replicas(int n) {
    job.getSpec().setReplicas(n);
    return this;
  }

  public InferenceJobs gpus(int n) {
    job.getSpec().setGpusPerReplica(n);
    return this;
  }

  public InferenceJobs spotPercent(int p) {
    job.getSpec().getCapacity().setSpotPercent(p);
    return this;
  }

  public InferenceJobs onDemandBase(int n) {
    job.getSpec().getCapacity().setOnDemandBase(n);
    return this;
  }

  public InferenceJob build() {
    return job;
  }
}
