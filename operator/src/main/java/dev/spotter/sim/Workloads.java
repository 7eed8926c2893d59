package dev.spotter.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Workloads built in code: the calibration workload of issue 11 and synthetic fleets. */
public final class Workloads {
  private Workloads() {}

  /**
   * 21 Can't Be Late style jobs: 8 GPUs, 48 compute hours, deadlines 52, 70 and 92 hours,
   * arrivals every 40 hours from 0 to 240, 12 minutes restart, 30 minute checkpoints, and a
   * 20 second final checkpoint that fits in the notice.
   */
  public static List<SimJob> cbl21() {
    List<SimJob> jobs = new ArrayList<>();
    for (int arrival = 0; arrival <= 240; arrival += 40) {
      for (int deadline : new int[] {52, 70, 92}) {
        jobs.add(SimJob.cbl("cbl-a" + arrival + "-d" + deadline, 48, deadline, arrival));
      }
    }
    return jobs;
  }

  /**
   * A seeded mix of {@code n} jobs arriving over {@code spanHours}: 8 to 64 GPUs, 2 to 60 hours
   * of work, slack of 10% to 150% or no deadline, with and without notice checkpoints.
   */
  public static List<SimJob> mixedFleet(int n, double spanHours, long seed) {
    Random rnd = new Random(seed);
    int[] gpus = {8, 8, 8, 16, 16, 32, 64};
    double[] overhead = {3, 6, 12, 20};
    List<SimJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double compute = Math.round((2 + rnd.nextDouble() * 58) * 4) / 4.0;
      double arrival = Math.round(rnd.nextDouble() * spanHours * 2) / 2.0;
      Double deadline = rnd.nextInt(5) == 0 ? null : Math.ceil(compute * (1.1 + rnd.nextDouble() * 1.4));
      Double notice = rnd.nextBoolean() ? 20.0 : null;
      double ckpt = new double[] {10, 30, 60}[rnd.nextInt(3)];
      jobs.add(new SimJob("job-" + (i + 1), gpus[rnd.nextInt(gpus.length)], compute, deadline, arrival, ckpt,
          overhead[rnd.nextInt(overhead.length)], notice));
    }
    return jobs;
  }
}
