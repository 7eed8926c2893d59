package dev.spotter.testing;

import dev.spotter.api.CapacityPolicy;
import dev.spotter.api.TrainingCapacity;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Test fixture: {@code TrainingJobs.named("a").workers(4).gpus(8).spotOnly().build()}. */
public final class TrainingJobs {
  private final TrainingJob job = new TrainingJob();

  private TrainingJobs(String name) {
    job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    TrainingJobSpec spec = new TrainingJobSpec();
    spec.setImage("ghcr.io/example/train:1.0");
    spec.setCapacity(new TrainingCapacity());
    job.setSpec(spec);
  }

  public static TrainingJobs named(String name) {
    return new TrainingJobs(name);
  }

  public TrainingJobs namespace(String ns) {
    job.getMetadata().setNamespace(ns);
    return this;
  }

  public TrainingJobs workers(int n) {
    job.getSpec().setWorkers(n);
    return this;
  }

  public TrainingJobs gpus(int n) {
    job.getSpec().setGpusPerWorker(n);
    return this;
  }

  public TrainingJobs model(String model) {
    job.getSpec().setGpuModel(model);
    return this;
  }

  public TrainingJobs resource(String resource) {
    job.getSpec().setGpuResource(resource);
    return this;
  }

  public TrainingJobs policy(CapacityPolicy p) {
    job.getSpec().getCapacity().setPolicy(p);
    return this;
  }

  public TrainingJobs spotOnly() {
    return policy(CapacityPolicy.SpotOnly);
  }

  public TrainingJobs onDemandOnly() {
    return policy(CapacityPolicy.OnDemandOnly);
  }

  public TrainingJobs maxSpotWait(int seconds) {
    job.getSpec().getCapacity().setMaxSpotWaitSeconds(seconds);
    return this;
  }

  public TrainingJobs maxRestarts(int n) {
    job.getSpec().setMaxRestarts(n);
    return this;
  }

  /** Http checkpoint trigger on port 8090 with the given timeout. */
  public TrainingJobs httpCheckpoint(int timeoutSeconds) {
    var cp = new dev.spotter.api.CheckpointSpec();
    cp.setTrigger(dev.spotter.api.CheckpointTrigger.Http);
    cp.setPort(8090);
    cp.setTimeoutSeconds(timeoutSeconds);
    job.getSpec().setCheckpoint(cp);
    return this;
  }

  public TrainingJob build() {
    return job;
  }
}
