package dev.spotter.demo;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@link DemoStats} as text: a compact screen redrawn in place with plain ANSI escapes, a
 * one-line status for logs and pipes, and the closing summary.
 */
public final class LiveView {
  /** Cursor home; each line then clears its rest, and the screen below the frame is cleared. */
  static final String HOME = "\033[H";
  static final String CLEAR_LINE = "\033[K";
  static final String CLEAR_BELOW = "\033[J";
  static final String CLEAR_SCREEN = "\033[2J";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
  private static final int MAX_JOB_ROWS = 8;

  private final boolean color;

  public LiveView(boolean color) {
    this.color = color;
  }

  /** The full screen, one string per line, without escapes. */
  public List<String> screen(DemoStats s, Duration runFor, String metricsUrl) {
    List<String> l = new ArrayList<>();
    l.add(bold("Spotter demo") + String.format(Locale.ROOT, "  real operator, simulated GKE H100 fleet   %ds / %ds",
        s.realElapsed().toSeconds(), runFor.toSeconds()));
    l.add(String.format(Locale.ROOT, "trace %s  %s UTC  (+%.1f h, %.0fx)   %s", s.trace(), TIME.format(s.simNow()),
        hours(s.simElapsed()), s.speed(), metricsUrl == null ? "metrics off" : metricsUrl));
    l.add("");
    l.add(String.format(Locale.ROOT, "%-28s %11s %6s %6s %7s", "pool", "$/GPU-h", "spot", "nodes", "notice"));
    for (TraceDriver.PoolView p : s.spotPools()) {
      l.add(String.format(Locale.ROOT, "%-28s %11.2f %6s %6d %7s", p.name(), s.prices().getOrDefault(p.name(), 0.0),
          p.available() ? green(pad("yes", 6)) : red(pad("NO", 6)), p.nodes(),
          p.noticed() == 0 ? pad("-", 7) : yellow(pad(Integer.toString(p.noticed()), 7))));
    }
    l.add(String.format(Locale.ROOT, "%-28s %11.2f %6s %6d %7s", s.onDemandPool(), s.prices().getOrDefault(s.onDemandPool(), 0.0),
        "-", s.onDemandNodes(), "-"));
    l.add("");
    l.add(String.format(Locale.ROOT, "training  %d jobs: %d waiting, %d running, %d restarting, %s succeeded, %s failed%s",
        s.trainingTotal(), s.phase("Pending"), s.phase("Running") + s.phase("Checkpointing"), s.phase("Restarting"),
        green(Integer.toString(s.completed())), s.failed() == 0 ? "0" : red(Integer.toString(s.failed())),
        s.notSubmitted() == 0 ? "" : ", " + s.notSubmitted() + " still to come"));
    List<DemoStats.JobRow> active = s.jobs().stream().filter(j -> !"Succeeded".equals(j.phase()) && !"Failed".equals(j.phase()))
        .sorted(Comparator.comparing(DemoStats.JobRow::name)).toList();
    for (DemoStats.JobRow j : active.subList(0, Math.min(MAX_JOB_ROWS, active.size()))) {
      l.add(String.format(Locale.ROOT, "  %-18s %s %3.0f%%  %-10s %-9s attempt %d", j.name(), bar(j.progress(), 20), 100 * j.progress(),
          j.phase(), j.capacity(), j.attempt()));
    }
    if (active.size() > MAX_JOB_ROWS) {
      l.add("  ... and " + (active.size() - MAX_JOB_ROWS) + " more");
    }
    l.add(String.format(Locale.ROOT, "inference %d/%d replicas ready: %d spot, %d on-demand", s.inferenceReady(),
        s.inferenceReplicas(), s.inferenceSpot(), s.inferenceOnDemand()));
    l.add(String.format(Locale.ROOT, "spot      now %s of GPUs, %s of GPU-hours so far  (target %.0f%%)", pct(s.spotShareNow()),
        pct(s.cost().spotShare()), 100 * s.spotTarget()));
    l.add(String.format(Locale.ROOT, "notices   %d nodes noticed, %d removed, %d added;  %d preemptions, %d reschedules",
        s.notices(), s.nodesRemoved(), s.nodesAdded(), s.preemptions(), s.reschedules()));
    l.add(String.format(Locale.ROOT, "ckpts     %d written, %d resumes from a checkpoint;  work lost %.1f GPU-h", s.checkpoints(),
        s.resumes(), s.workLostGpuHours()));
    l.add(String.format(Locale.ROOT, "spend     %s vs %s all on-demand  (%s saved)", money(s.cost().cost()), money(s.cost().onDemandCost()),
        green(String.format(Locale.ROOT, "%.0f%%", s.cost().savingsPct()))));
    l.add("");
    l.add("Ctrl-C ends the demo and prints the summary.");
    return l;
  }

  /** The screen with the escapes that redraw it in place. */
  public String frame(DemoStats s, Duration runFor, String metricsUrl, boolean first) {
    StringBuilder b = new StringBuilder(first ? CLEAR_SCREEN + HOME : HOME);
    for (String line : screen(s, runFor, metricsUrl)) {
      b.append(line).append(CLEAR_LINE).append('\n');
    }
    return b.append(CLEAR_BELOW).toString();
  }

  /** One line, for pipes and logs. */
  public static String line(DemoStats s) {
    return String.format(Locale.ROOT,
        "[%s +%.0fh] jobs %d/%d done, %d running, %d waiting | spot %s (target %.0f%%) | notices %d, preemptions %d,"
            + " checkpoints %d | %s vs %s on-demand",
        TIME.format(s.simNow()), hours(s.simElapsed()), s.completed(), s.trainingTotal(), s.phase("Running") + s.phase("Checkpointing"),
        s.phase("Pending") + s.phase("Restarting") + s.notSubmitted(), pct(s.cost().spotShare()), 100 * s.spotTarget(), s.notices(),
        s.preemptions(), s.checkpoints(), money(s.cost().cost()), money(s.cost().onDemandCost()));
  }

  /** The closing summary for people. */
  public static List<String> summary(DemoSummary d) {
    List<String> l = new ArrayList<>();
    l.add(String.format(Locale.ROOT, "Spotter demo: %.1f trace hours of %s from %s in %.0f s (zones %s, seed %d)",
        d.simulated_hours(), d.trace(), d.trace_start(), d.real_seconds(), String.join(", ", d.zones()), d.seed()));
    l.add(String.format(Locale.ROOT, "  jobs          %d of %d completed, %d lost, %d unfinished; inference %d/%d replicas ready",
        d.jobs_completed(), d.jobs_total(), d.jobs_lost(), d.jobs_unfinished(), d.inference_ready(), d.inference_replicas()));
    l.add(String.format(Locale.ROOT, "  preemption    %d node notices, %d nodes removed, %d preemptions, %d reschedules",
        d.notices(), d.nodes_removed(), d.preemptions(), d.reschedules()));
    l.add(String.format(Locale.ROOT, "  checkpoints   %d written, %d resumes, %.1f GPU-hours of work lost", d.checkpoints(), d.resumes(),
        d.work_lost_gpu_hours()));
    l.add(String.format(Locale.ROOT, "  spot share    %.0f%% of %.1f GPU-hours (target %.0f%%)", 100 * d.spot_share(), d.gpu_hours(),
        100 * d.spot_target()));
    l.add(String.format(Locale.ROOT, "  cost          %s vs %s all on-demand: %.1f%% saved", money(d.cost()), money(d.on_demand_cost()),
        d.savings_pct()));
    return l;
  }

  private static String pad(String s, int width) {
    return " ".repeat(Math.max(0, width - s.length())) + s;
  }

  static String bar(double fraction, int width) {
    int full = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
    return "[" + "#".repeat(full) + "-".repeat(width - full) + "]";
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * share);
  }

  private static String money(double usd) {
    return String.format(Locale.ROOT, "$%,.0f", usd);
  }

  private static double hours(Duration d) {
    return d.toMillis() / 3_600_000.0;
  }

  private String bold(String s) {
    return color ? "\033[1m" + s + "\033[0m" : s;
  }

  private String green(String s) {
    return color ? "\033[32m" + s + "\033[0m" : s;
  }

  private String red(String s) {
    return color ? "\033[31m" + s + "\033[0m" : s;
  }

  private String yellow(String s) {
    return color ? "\033[33m" + s + "\033[0m" : s;
  }
}
