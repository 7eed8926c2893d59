package dev.spotter.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.spotter.api.Api;
import dev.spotter.api.CapacityPolicy;
import dev.spotter.api.CheckpointSpec;
import dev.spotter.api.CheckpointStorage;
import dev.spotter.api.CheckpointTrigger;
import dev.spotter.api.InferenceJob;
import dev.spotter.api.TrainingCapacity;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobSpec;
import dev.spotter.scheduling.Accelerators;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The jobs a demo runs: the TrainingJob and InferenceJob manifests of a directory (by default
 * {@code manifests/examples/}, else the ones bundled under {@code demo/}), plus generated training
 * jobs that arrive over the run. Each training job gets its amount of work from the annotation
 * {@value #WORK_HOURS_ANNOTATION}, passed to the simulated workload as an environment variable.
 */
public final class DemoJobs {
  public static final String WORK_HOURS_ANNOTATION = "demo.spotter.dev/work-hours";
  public static final String EXAMPLES_DIR = "manifests/examples";
  public static final String BUNDLED = "bundled";
  public static final String AUTO = "auto";
  /** Checkpoint interval of a job that declares checkpointing but no interval. */
  static final int DEFAULT_CHECKPOINT_SECONDS = 1800;

  /** Jobs read from somewhere, what that was, and what had to be skipped or adapted. */
  public record Loaded(String source, List<HasMetadata> jobs, List<String> notes) {}

  /** A generated job and when (in simulated time after the start) it is submitted. */
  public record Arrival(Duration after, TrainingJob job) {}

  private static final YAMLMapper YAML = new YAMLMapper();

  private DemoJobs() {}

  /**
   * @param where {@value #AUTO} (the examples directory when it holds jobs, else the bundled
   *     ones), {@value #BUNDLED}, or a directory or file of manifests
   */
  public static Loaded load(String where) {
    List<String> notes = new ArrayList<>();
    if (AUTO.equals(where)) {
      Path examples = Path.of(EXAMPLES_DIR);
      if (Files.isDirectory(examples)) {
        List<HasMetadata> jobs = fromPath(examples, notes);
        if (!jobs.isEmpty()) {
          return new Loaded(EXAMPLES_DIR, jobs, notes);
        }
      }
      where = BUNDLED;
    }
    if (BUNDLED.equals(where)) {
      try (InputStream in = DemoJobs.class.getResourceAsStream("/demo/jobs.yaml")) {
        if (in == null) {
          throw new IllegalStateException("demo/jobs.yaml is missing from the jar");
        }
        return new Loaded("bundled demo jobs", parse("demo/jobs.yaml", new String(in.readAllBytes()), notes), notes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Path p = Path.of(where);
    if (!Files.exists(p)) {
      throw new IllegalArgumentException("no such file or directory: " + where);
    }
    return new Loaded(where, fromPath(p, notes), notes);
  }

  private static List<HasMetadata> fromPath(Path p, List<String> notes) {
    List<Path> files;
    try (Stream<Path> s = Files.isDirectory(p) ? Files.walk(p) : Stream.of(p)) {
      files = s.filter(f -> Files.isRegularFile(f) && (f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + p, e);
    }
    List<HasMetadata> out = new ArrayList<>();
    for (Path f : files) {
      try {
        out.addAll(parse(f.toString(), Files.readString(f), notes));
      } catch (IOException e) {
        notes.add(f + ": cannot read (" + e.getMessage() + "), skipped");
      }
    }
    return out;
  }

  /** The TrainingJobs and InferenceJobs of a multi-document YAML text; other kinds are ignored. */
  static List<HasMetadata> parse(String name, String yaml, List<String> notes) {
    List<HasMetadata> out = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || !doc.isObject() || !doc.path("apiVersion").asText().startsWith(Api.GROUP + "/")) {
          continue;
        }
        String kind = doc.path("kind").asText();
        Class<? extends HasMetadata> type = switch (kind) {
          case "TrainingJob" -> TrainingJob.class;
          case "InferenceJob" -> InferenceJob.class;
          default -> null;
        };
        if (type != null) {
          out.add(Serialization.unmarshal(doc.toString(), type));
        }
      }
    } catch (IOException | RuntimeException e) {
      notes.add(name + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + "), skipped");
    }
    return out;
  }

  /**
   * Fits a job to the demo: a namespace when it has none, the demo's GPU resource and model when it
   * asks for others, and the workload's settings in its environment.
   */
  public static HasMetadata prepare(HasMetadata job, String gpuModel, List<String> notes) {
    if (job.getMetadata().getNamespace() == null) {
      job.getMetadata().setNamespace("default");
    }
    String name = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    if (job instanceof TrainingJob tj) {
      TrainingJobSpec s = tj.getSpec();
      if (s.getGpuResource() != null && !s.getGpuResource().equals(Accelerators.NVIDIA)) {
        notes.add(name + " asks for " + s.getGpuResource() + "; the demo fleet has " + Accelerators.NVIDIA + " only, so it runs there");
        s.setGpuResource(null);
      }
      if (s.getGpuModel() != null && !s.getGpuModel().equals(gpuModel)) {
        notes.add(name + " asks for " + s.getGpuModel() + "; the demo fleet has " + gpuModel + " only, so it runs there");
        s.setGpuModel(gpuModel);
      }
      List<EnvVar> env = new ArrayList<>(s.getEnv() == null ? List.of() : s.getEnv());
      env.removeIf(e -> SimulatedWorkloads.ENV_WORK_HOURS.equals(e.getName()) || SimulatedWorkloads.ENV_CHECKPOINT_EVERY.equals(e.getName()));
      env.add(new EnvVar(SimulatedWorkloads.ENV_WORK_HOURS, workHours(tj, notes), null));
      if (s.getCheckpoint() != null) {
        Integer every = s.getCheckpoint().getIntervalSeconds();
        env.add(new EnvVar(SimulatedWorkloads.ENV_CHECKPOINT_EVERY, Integer.toString(every == null ? DEFAULT_CHECKPOINT_SECONDS : every), null));
      }
      s.setEnv(env);
    } else if (job instanceof InferenceJob ij && ij.getSpec().getGpuResource() != null
        && !ij.getSpec().getGpuResource().equals(Accelerators.NVIDIA)) {
      notes.add(name + " asks for " + ij.getSpec().getGpuResource() + "; the demo fleet has " + Accelerators.NVIDIA + " only, so it runs there");
      ij.getSpec().setGpuResource(null);
      ij.getSpec().setGpuModel(null);
    } else if (job instanceof InferenceJob ij && ij.getSpec().getGpuModel() != null && !ij.getSpec().getGpuModel().equals(gpuModel)) {
      notes.add(name + " asks for " + ij.getSpec().getGpuModel() + "; the demo fleet has " + gpuModel + " only, so it runs there");
      ij.getSpec().setGpuModel(gpuModel);
    }
    return job;
  }

  private static String workHours(TrainingJob tj, List<String> notes) {
    var annotations = tj.getMetadata().getAnnotations();
    String v = annotations == null ? null : annotations.get(WORK_HOURS_ANNOTATION);
    if (v != null) {
      try {
        double h = Double.parseDouble(v.trim());
        if (h > 0 && Double.isFinite(h)) {
          return Double.toString(h);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      notes.add(tj.getMetadata().getName() + ": " + WORK_HOURS_ANNOTATION + " '" + v + "' is not a positive number; using "
          + SimulatedWorkloads.DEFAULT_WORK_HOURS);
    }
    return Double.toString(SimulatedWorkloads.DEFAULT_WORK_HOURS);
  }

  /**
   * {@code n} single- or two-worker training jobs with checkpointing, drawn from {@code seed}, that
   * arrive within {@code spread} of simulated time; the same seed gives the same jobs.
   */
  public static List<Arrival> generate(int n, long seed, Duration spread) {
    Random rnd = new Random(seed);
    int[] gpuChoices = {1, 2, 4, 8};
    List<Arrival> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int workers = rnd.nextInt(4) == 0 ? 2 : 1;
      int gpus = gpuChoices[rnd.nextInt(gpuChoices.length)];
      double hours = 2 + rnd.nextInt(21) / 2.0; // 2 to 12 h in half hours
      boolean signal = rnd.nextBoolean();
      int every = rnd.nextBoolean() ? 1800 : 3600;
      Duration after = Duration.ofSeconds((long) (rnd.nextDouble() * spread.toSeconds()));
      String name = String.format("batch-%02d", i + 1);

      TrainingJob tj = new TrainingJob();
      LinkedHashMap<String, String> annotations = new LinkedHashMap<>();
      annotations.put(WORK_HOURS_ANNOTATION, Double.toString(hours));
      tj.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ml").withAnnotations(annotations).build());
      TrainingJobSpec s = new TrainingJobSpec();
      s.setImage("ghcr.io/example/batch-train:1.0");
      s.setWorkers(workers);
      s.setGpusPerWorker(gpus);
      TrainingCapacity c = new TrainingCapacity();
      c.setPolicy(CapacityPolicy.SpotPreferred);
      s.setCapacity(c);
      CheckpointSpec cp = new CheckpointSpec();
      cp.setTrigger(signal ? CheckpointTrigger.Signal : CheckpointTrigger.Http);
      if (!signal) {
        cp.setPort(8471);
      } else {
        cp.setPath(null);
      }
      cp.setTimeoutSeconds(20);
      cp.setIntervalSeconds(every);
      CheckpointStorage st = new CheckpointStorage();
      st.setUri("gs://demo-checkpoints/" + name);
      st.setMountPath(null);
      cp.setStorage(st);
      s.setCheckpoint(cp);
      tj.setSpec(s);
      out.add(new Arrival(after, tj));
    }
    return out;
  }
}
