package dev.spotter.workload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spotter.checkpoint.CheckpointReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training loop that follows docs/checkpoint-contract.md, small enough to read: it makes
 * progress step by step, commits a checkpoint every N steps and whenever it is asked
 * ({@code POST <path>}), reports the latest one ({@code GET <path>}), resumes from
 * {@code SPOTTER_RESUME_FROM}, and exits 0 when all steps are done. The tests, the demo and the
 * real-cluster tests run it; `spotter workload` runs it in a container.
 */
public final class ReferenceWorkload implements AutoCloseable {
  private static final Pattern STEP_ID = Pattern.compile(".*-step-(\\d+)$");

  /** Everything the workload reads from its environment. */
  public record Settings(
      String job, int rank, String resumeFrom, String bindHost, int port, String path,
      long totalSteps, Duration stepTime, long checkpointEvery, Duration checkpointTime, Path dir) {

    /** From the variables Spotter sets (SPOTTER_*) and the workload's own (WORKLOAD_*). */
    public static Settings fromEnv(Map<String, String> env, String bindHost) {
      return new Settings(
          env.getOrDefault("SPOTTER_JOB", "job"),
          Integer.parseInt(env.getOrDefault("SPOTTER_RANK", env.getOrDefault("RANK", "0"))),
          blankToNull(env.get("SPOTTER_RESUME_FROM")),
          bindHost,
          Integer.parseInt(env.getOrDefault("SPOTTER_CHECKPOINT_PORT", "0")),
          env.getOrDefault("SPOTTER_CHECKPOINT_PATH", "/checkpoint"),
          Long.parseLong(env.getOrDefault("WORKLOAD_TOTAL_STEPS", "1000")),
          Duration.ofMillis(Long.parseLong(env.getOrDefault("WORKLOAD_STEP_MILLIS", "100"))),
          Long.parseLong(env.getOrDefault("WORKLOAD_CHECKPOINT_EVERY", "100")),
          Duration.ofMillis(Long.parseLong(env.getOrDefault("WORKLOAD_CHECKPOINT_MILLIS", "50"))),
          env.containsKey("SPOTTER_CHECKPOINT_DIR") ? Path.of(env.get("SPOTTER_CHECKPOINT_DIR")) : null);
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s;
    }
  }

  private final Settings settings;
  private final Clock clock;
  private final AtomicLong step = new AtomicLong();
  private final AtomicLong checkpoints = new AtomicLong();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile CheckpointReport latest;
  private volatile boolean stopped;
  private HttpServer http;
  private Thread loop;

  public ReferenceWorkload(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** The step a checkpoint id stands for: ids are {@code <job>-step-<n>}. */
  public static long stepOf(String checkpointId) {
    Matcher m = STEP_ID.matcher(checkpointId);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a checkpoint id of this workload: " + checkpointId);
    }
    return Long.parseLong(m.group(1));
  }

  public ReferenceWorkload start() {
    if (settings.resumeFrom() != null) {
      step.set(stepOf(settings.resumeFrom()));
      latest = new CheckpointReport(settings.resumeFrom(), step.get(), clock.instant());
    }
    if (settings.port() > 0) {
      try {
        http = HttpServer.create(new InetSocketAddress(settings.bindHost(), settings.port()), 16);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot listen on " + settings.bindHost() + ":" + settings.port(), e);
      }
      http.createContext(settings.path(), this::serve);
      http.setExecutor(Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "workload-http-" + settings.job() + "-" + settings.rank());
        t.setDaemon(true);
        return t;
      }));
      http.start();
    }
    loop = new Thread(this::train, "workload-" + settings.job() + "-" + settings.rank());
    loop.setDaemon(true);
    loop.start();
    return this;
  }

  private void train() {
    try {
      while (!stopped && step.get() < settings.totalSteps()) {
        Thread.sleep(settings.stepTime().toMillis());
        long s = step.incrementAndGet();
        if (settings.checkpointEvery() > 0 && s % settings.checkpointEvery() == 0) {
          commit();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      done.countDown();
    }
  }

  /** Writes a checkpoint of the current step; a real job would save model and optimizer state. */
  public synchronized CheckpointReport commit() {
    try {
      Thread.sleep(settings.checkpointTime().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long s = step.get();
    CheckpointReport r = new CheckpointReport(settings.job() + "-step-" + s, s, clock.instant());
    if (settings.dir() != null) {
      try {
        Files.createDirectories(settings.dir());
        Files.writeString(settings.dir().resolve(r.id() + ".json"), r.toJson());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write checkpoint " + r.id(), e);
      }
    }
    latest = r;
    checkpoints.incrementAndGet();
    return r;
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      if ("POST".equals(ex.getRequestMethod())) {
        ex.getRequestBody().readAllBytes();
        respond(ex, 200, commit().toJson());
      } else if ("GET".equals(ex.getRequestMethod())) {
        CheckpointReport r = latest;
        if (r == null) {
          ex.sendResponseHeaders(204, -1);
        } else {
          respond(ex, 200, r.toJson());
        }
      } else {
        respond(ex, 405, "{\"error\":\"use POST to checkpoint, GET for the latest\"}");
      }
    }
  }

  private static void respond(HttpExchange ex, int code, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  public long step() {
    return step.get();
  }

  public long checkpoints() {
    return checkpoints.get();
  }

  public CheckpointReport latest() {
    return latest;
  }

  public boolean finished() {
    return done.getCount() == 0 && step.get() >= settings.totalSteps();
  }

  /** Waits for the loop to end; true when all steps were done. */
  public boolean await(Duration timeout) throws InterruptedException {
    done.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    return finished();
  }

  /** Stops as on SIGTERM: a final checkpoint, then the loop and the server end. */
  public CheckpointReport terminate() {
    CheckpointReport r = commit();
    close();
    return r;
  }

  @Override
  public void close() {
    stopped = true;
    if (loop != null) {
      loop.interrupt();
    }
    if (http != null) {
      http.stop(0);
    }
  }
}
