package dev.spotter.demo;

import dev.spotter.api.Api;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A minimal training workload for the demo, in simulated time. A job's gang makes progress only
 * while all its ranks of the current attempt run; it writes a checkpoint every
 * {@value #ENV_CHECKPOINT_EVERY} seconds of progress into an in-memory checkpoint store that
 * outlives pods (standing in for the job's volume or bucket), and its ranks succeed once
 * {@value #ENV_WORK_HOURS} hours of work are done.
 *
 * <p>A new attempt resumes from {@code SPOTTER_RESUME_FROM} when Spotter passes one; otherwise a
 * job that declares checkpointing ({@code SPOTTER_CHECKPOINT_TRIGGER} set) resumes from the newest
 * checkpoint in its store, as training scripts that scan their checkpoint directory do; any other
 * job starts over. A gang that breaks loses the work done since the checkpoint it can resume from.
 * With trigger {@code Signal}, a graceful pod deletion (SIGTERM) saves a final checkpoint first.
 */
public final class SimulatedWorkloads implements WorkloadRunner {
  /** Hours of work of the whole gang (simulated time), from the job's env; default {@value #DEFAULT_WORK_HOURS}. */
  public static final String ENV_WORK_HOURS = "DEMO_WORK_HOURS";
  /** Seconds of progress between periodic checkpoints, from the job's env; none when unset. */
  public static final String ENV_CHECKPOINT_EVERY = "DEMO_CHECKPOINT_EVERY_SECONDS";
  public static final double DEFAULT_WORK_HOURS = 6;

  /** How the workload ends a pod: its kubelet reports it Succeeded. */
  public interface PodExit {
    void succeeded(String namespace, String pod);
  }

  /** A committed checkpoint: progress it holds, when, and why it was written. */
  public record Checkpoint(String id, double progressHours, Instant at, String source) {
    /** The training step it holds: minutes of progress, as its id says. */
    public long step() {
      return step(progressHours);
    }

    static long step(double progressHours) {
      return Math.round(progressHours * 60);
    }
  }

  /** Progress of one job, for the live view. */
  public record JobProgress(String job, double doneHours, double workHours, boolean running, boolean done) {}

  /** Totals so far. */
  public record Totals(int checkpoints, int resumes, double lostGpuHours, int completed) {}

  private final Clock clock;
  private final PodExit exit;
  private final Map<String, Run> runs = new TreeMap<>();
  private final Map<String, List<Checkpoint>> store = new HashMap<>();
  private int checkpoints;
  private int resumes;
  private int completed;
  private double lostGpuHours;

  public SimulatedWorkloads(Clock clock, PodExit exit) {
    this.clock = clock;
    this.exit = exit;
  }

  @Override
  public void started(Pod pod) {
    if (!isTraining(pod)) {
      return;
    }
    Map<String, String> env = env(pod);
    int attempt = intLabel(pod, Api.LABEL_ATTEMPT);
    int rank = intLabel(pod, Api.LABEL_RANK);
    boolean late = false;
    synchronized (this) {
      Run r = runs.computeIfAbsent(jobKey(pod), k -> new Run(k, env));
      if (attempt < r.attempt) {
        return;
      }
      if (r.done) {
        late = true;
      } else if (attempt > r.attempt) {
        r.attempt = attempt;
        r.ranks.clear();
        r.gangSince = null;
        r.progress = resumePoint(r, env.get("SPOTTER_RESUME_FROM"));
        r.savedUpTo = r.everyHours > 0 ? Math.floor(r.progress / r.everyHours) : 0;
      }
      if (!late) {
        r.ranks.put(rank, pod.getMetadata().getName());
        if (r.ranks.size() == r.workers && r.gangSince == null) {
          r.gangSince = clock.instant();
        }
      }
    }
    if (late) {
      // the work is done and saved: a late attempt has nothing left to do (reported outside the
      // lock, as the report goes through the API server)
      finishLate(pod);
    }
  }

  @Override
  public void stopped(Pod pod, boolean graceful) {
    if (!isTraining(pod)) {
      return;
    }
    int attempt = intLabel(pod, Api.LABEL_ATTEMPT);
    int rank = intLabel(pod, Api.LABEL_RANK);
    List<String> finished = List.of();
    Run r;
    synchronized (this) {
      r = runs.get(jobKey(pod));
      if (r == null || r.done || attempt != r.attempt || !r.ranks.containsKey(rank)) {
        return;
      }
      if (r.gangSince != null) {
        Instant now = clock.instant();
        if (settle(r, now)) {
          finished = new ArrayList<>(r.ranks.values());
          finished.remove(pod.getMetadata().getName());
        } else {
          if (graceful && r.signal) {
            commit(r, r.progress, now, "Signal");
          }
          double resumable = resumable(r);
          lostGpuHours += Math.max(0, r.progress - resumable) * r.gpus;
          r.progress = resumable;
          r.gangSince = null;
        }
      }
      r.ranks.remove(rank);
    }
    finished.forEach(p -> exit.succeeded(r.namespace, p));
  }

  private void finishLate(Pod pod) {
    exit.succeeded(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
  }

  /** Moves every running gang to the clock's time: progress, periodic checkpoints, completions. */
  public void advance() {
    Instant now = clock.instant();
    // by job: two jobs of one namespace may finish in the same step
    Map<Run, List<String>> finished = new LinkedHashMap<>();
    synchronized (this) {
      for (Run r : runs.values()) {
        if (!r.done && r.gangSince != null && settle(r, now)) {
          finished.put(r, new ArrayList<>(r.ranks.values()));
        }
      }
    }
    finished.forEach((r, pods) -> pods.forEach(p -> exit.succeeded(r.namespace, p)));
  }

  /**
   * Saves a checkpoint of a running job now, as the workload does when Spotter asks for one (the
   * demo's stand-in for the Http and Exec triggers).
   *
   * @return the checkpoint, or empty when the job's gang is not running
   */
  public synchronized Optional<Checkpoint> checkpointNow(String namespace, String job) {
    Run r = runs.get(namespace + "/" + job);
    if (r == null || r.done || r.gangSince == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    settle(r, now);
    return Optional.of(commit(r, r.progress, now, "Request"));
  }

  /** Checkpoints of a job, oldest first. */
  public synchronized List<Checkpoint> checkpoints(String namespace, String job) {
    return List.copyOf(store.getOrDefault(namespace + "/" + job, List.of()));
  }

  public synchronized Totals totals() {
    return new Totals(checkpoints, resumes, lostGpuHours, completed);
  }

  public synchronized List<JobProgress> progress() {
    Instant now = clock.instant();
    List<JobProgress> out = new ArrayList<>();
    for (Run r : runs.values()) {
      double done = r.progress;
      if (!r.done && r.gangSince != null) {
        done = Math.min(r.workHours, done + hours(Duration.between(r.gangSince, now)));
      }
      out.add(new JobProgress(r.key, done, r.workHours, r.gangSince != null, r.done));
    }
    return out;
  }

  /** Adds the progress since the last settle; true when the job just finished. */
  private boolean settle(Run r, Instant now) {
    r.progress = Math.min(r.workHours, r.progress + hours(Duration.between(r.gangSince, now)));
    r.gangSince = now;
    if (r.everyHours > 0) {
      // one checkpoint per interval crossed, even when a step crosses several
      double k = Math.floor(r.progress / r.everyHours + 1e-9);
      for (double i = r.savedUpTo + 1; i <= k && i * r.everyHours < r.workHours - 1e-9; i++) {
        commit(r, i * r.everyHours, now, "Periodic");
      }
      r.savedUpTo = Math.max(r.savedUpTo, k);
    }
    if (r.progress >= r.workHours - 1e-9) {
      r.done = true;
      completed++;
      return true;
    }
    return false;
  }

  private Checkpoint commit(Run r, double progressHours, Instant at, String source) {
    long step = Checkpoint.step(progressHours);
    Checkpoint c = new Checkpoint(r.prefix + "/step-" + step, progressHours, at, source);
    store.computeIfAbsent(r.key, k -> new ArrayList<>()).add(c);
    checkpoints++;
    return c;
  }

  /** Where a new attempt starts: the checkpoint Spotter names, else the newest one, else zero. */
  private double resumePoint(Run r, String resumeFrom) {
    List<Checkpoint> saved = store.getOrDefault(r.key, List.of());
    if (resumeFrom != null) {
      for (Checkpoint c : saved) {
        if (c.id().equals(resumeFrom)) {
          resumes++;
          return c.progressHours();
        }
      }
    }
    double p = resumable(r);
    if (p > 0) {
      resumes++;
    }
    return p;
  }

  private double resumable(Run r) {
    if (!r.checkpointing) {
      return 0;
    }
    List<Checkpoint> saved = store.getOrDefault(r.key, List.of());
    return saved.stream().mapToDouble(Checkpoint::progressHours).max().orElse(0);
  }

  private static double hours(Duration d) {
    return d.toMillis() / 3_600_000.0;
  }

  private static boolean isTraining(Pod pod) {
    return pod.getMetadata().getLabels() != null && "TrainingJob".equals(pod.getMetadata().getLabels().get(Api.LABEL_KIND));
  }

  private static String jobKey(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getLabels().get(Api.LABEL_JOB);
  }

  private static int intLabel(Pod pod, String label) {
    String v = pod.getMetadata().getLabels().get(label);
    try {
      return v == null ? 0 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static Map<String, String> env(Pod pod) {
    Map<String, String> env = new HashMap<>();
    if (pod.getSpec() == null || pod.getSpec().getContainers().isEmpty()) {
      return env;
    }
    for (EnvVar e : pod.getSpec().getContainers().get(0).getEnv()) {
      if (e.getName() != null && e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      }
    }
    return env;
  }

  private static double number(Map<String, String> env, String name, double fallback) {
    try {
      String v = env.get(name);
      double d = v == null ? fallback : Double.parseDouble(v.trim());
      return d > 0 && Double.isFinite(d) ? d : fallback;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** One job's run across attempts. */
  private static final class Run {
    final String key;
    final String namespace;
    final double workHours;
    final int workers;
    final int gpus;
    final double everyHours;
    final boolean checkpointing;
    final boolean signal;
    final String prefix;
    final Map<Integer, String> ranks = new TreeMap<>();
    int attempt = -1;
    double progress;
    double savedUpTo;
    Instant gangSince;
    boolean done;

    Run(String key, Map<String, String> env) {
      this.key = key;
      this.namespace = key.substring(0, key.indexOf('/'));
      this.workHours = number(env, ENV_WORK_HOURS, DEFAULT_WORK_HOURS);
      this.workers = (int) number(env, "WORLD_SIZE", 1);
      this.gpus = workers * (int) number(env, "LOCAL_WORLD_SIZE", 1);
      this.everyHours = number(env, ENV_CHECKPOINT_EVERY, 0) / 3600.0;
      this.checkpointing = env.containsKey("SPOTTER_CHECKPOINT_TRIGGER");
      this.signal = "Signal".equals(env.get("SPOTTER_CHECKPOINT_TRIGGER"));
      String base = env.getOrDefault("SPOTTER_CHECKPOINT_URI", env.get("SPOTTER_CHECKPOINT_DIR"));
      this.prefix = base == null ? "ckpt/" + key : base.replaceAll("/+$", "");
    }
  }
}
