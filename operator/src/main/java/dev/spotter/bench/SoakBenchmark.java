package dev.spotter.bench;

import dev.spotter.demo.DemoJobs;
import dev.spotter.demo.DemoOptions;
import dev.spotter.demo.DemoRun;
import dev.spotter.demo.DemoStats;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A long run: the demo (real operator, embedded API, spot pools following a real trace, simulated
 * workloads) replays {@code days} of trace at high speed while the heap after a full GC and the
 * live thread count are sampled once per simulated day. A leak shows as a heap or a thread count
 * that keeps climbing day after day; after the run is closed every thread it started must be gone.
 */
public final class SoakBenchmark {
  /** Machine-readable result; the field names are a stable interface. */
  public record Result(double days, double speed, long seed, int jobs_total, int jobs_completed, int jobs_lost,
      int jobs_unfinished, int notices, int preemptions, int checkpoints, double real_seconds,
      double heap_start_mib, double heap_end_mib, double heap_max_mib, List<Double> heap_daily_mib,
      int threads_baseline, int threads_start, int threads_end, int threads_max, int threads_after_close,
      List<String> threads_left, List<String> threads_leaked) {}

  /**
   * Threads that libraries end lazily, minutes after what used them is closed: fabric8's shared
   * timer (it stops 10 s after its last task, and a closed informer's watch-timeout task stays
   * queued until it fires, within 10 min) and the selector of a JDK HTTP client that such a task
   * still references. One of each per client; they do not pile up while the operator runs. Also
   * Netty's global event executor, which the embedded API server's web server starts on demand
   * and which ends itself after a second without tasks.
   */
  static final java.util.regex.Pattern LAZY_LIBRARY_THREADS =
      java.util.regex.Pattern.compile("CachedSingleThreadScheduler-.*|HttpClient-\\d+-SelectorManager|globalEventExecutor-\\d+-\\d+");

  private final double days;
  private final double speed;
  private final long seed;
  private final int jobs;

  /**
   * @param days simulated days to replay (the first is the warm-up the start figures are taken after)
   * @param speed trace seconds per real second
   * @param jobs generated training jobs, arriving over the first half of the run
   */
  public SoakBenchmark(double days, double speed, long seed, int jobs) {
    if (!(days >= 1) || !(speed > 0)) {
      throw new IllegalArgumentException("a soak needs at least one simulated day and a positive speed");
    }
    this.days = days;
    this.speed = speed;
    this.seed = seed;
    this.jobs = jobs;
  }

  public Result run() throws InterruptedException {
    List<String> before = threadNames();
    int baseline = before.size();
    Duration real = Duration.ofMillis((long) (days * 86_400_000 / speed));
    Duration realDay = Duration.ofMillis((long) (86_400_000 / speed));
    DemoOptions o = new DemoOptions(DemoOptions.DEFAULT_TRACE, speed, real, seed, jobs, -1, DemoJobs.BUNDLED, false,
        Duration.ofMillis(1500), 4, 3);
    List<Double> daily = new ArrayList<>();
    List<Integer> threads = new ArrayList<>();
    DemoStats last;
    Instant begin = Instant.now();
    try (DemoRun run = new DemoRun(o, Map.of()).start()) {
      int day = 1;
      while (day <= (int) Math.floor(days)) {
        Instant next = begin.plus(realDay.multipliedBy(day));
        long wait = Duration.between(Instant.now(), next).toMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        }
        daily.add(round(heapAfterGcMib()));
        threads.add(liveThreads());
        day++;
      }
      long rest = Duration.between(Instant.now(), begin.plus(real)).toMillis();
      if (rest > 0) {
        Thread.sleep(rest);
      }
      last = run.stats();
    }
    double seconds = Duration.between(begin, Instant.now()).toMillis() / 1000.0;
    int afterClose = settledThreads(before);
    return new Result(days, speed, seed, last.trainingTotal(), last.completed(), last.failed(), last.unfinished(),
        last.notices(), last.preemptions(), last.checkpoints(), round(seconds),
        daily.get(0), daily.get(daily.size() - 1), daily.stream().mapToDouble(Double::doubleValue).max().orElse(0), daily,
        baseline, threads.get(0), threads.get(threads.size() - 1), threads.stream().mapToInt(Integer::intValue).max().orElse(0),
        afterClose, left(before), left(before).stream().filter(n -> !LAZY_LIBRARY_THREADS.matcher(n).matches()).toList());
  }

  /** Threads alive now that were not before the run: what a closed run left behind. */
  private static List<String> left(List<String> before) {
    List<String> now = new ArrayList<>(threadNames());
    before.forEach(now::remove);
    return now;
  }

  /** Used heap after full collections, in MiB: what is still reachable. */
  static double heapAfterGcMib() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
  }

  /**
   * Live threads, not counting the JVM's shared ForkJoin pool (its workers idle out after a minute
   * and are bounded by the core count, so they say nothing about a leak).
   */
  static int liveThreads() {
    return threadNames().size();
  }

  private static List<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> !n.startsWith("ForkJoinPool.commonPool-worker-")).sorted().toList();
  }

  /**
   * The live thread count once the threads a closed run leaves winding down are gone: waits (at
   * most 10 s) until no thread is alive that was not before the run, but for the lazy library ones.
   */
  private static int settledThreads(List<String> before) throws InterruptedException {
    Instant until = Instant.now().plusSeconds(10);
    while (left(before).stream().anyMatch(n -> !LAZY_LIBRARY_THREADS.matcher(n).matches()) && Instant.now().isBefore(until)) {
      System.gc(); // an HTTP client's selector thread ends once its client is collected
      Thread.sleep(200);
    }
    return liveThreads();
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
