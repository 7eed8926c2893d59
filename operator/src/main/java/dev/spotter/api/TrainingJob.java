package dev.spotter.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A gang of GPU workers that runs to completion, checkpointing and resuming across preemptions. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames("tj")
@Categories({"spotter", "all"})
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Capacity", jsonPath = ".status.placement.capacityType", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Pool", jsonPath = ".status.placement.pool", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Workers", jsonPath = ".spec.workers", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "GPUs", jsonPath = ".spec.gpusPerWorker", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Attempt", jsonPath = ".status.attempt", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Preemptions", jsonPath = ".status.preemptions", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Checkpoint", jsonPath = ".status.lastCheckpoint.id", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class TrainingJob extends CustomResource<TrainingJobSpec, TrainingJobStatus> implements Namespaced {
  @Override
  protected TrainingJobStatus initStatus() {
    return new TrainingJobStatus();
  }
}
