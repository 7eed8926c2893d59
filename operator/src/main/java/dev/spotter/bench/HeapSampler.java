package dev.spotter.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Samples used heap every 50 ms and keeps the peak, for the benchmarks' peak_heap_mib. */
public final class HeapSampler implements AutoCloseable {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final AtomicLong peak = new AtomicLong();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "heap-sampler");
    t.setDaemon(true);
    return t;
  });

  public HeapSampler start() {
    timer.scheduleAtFixedRate(() -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max), 0, 50, TimeUnit.MILLISECONDS);
    return this;
  }

  public double peakMib() {
    return peak.get() / (1024.0 * 1024.0);
  }

  public static double maxHeapMib() {
    return Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
