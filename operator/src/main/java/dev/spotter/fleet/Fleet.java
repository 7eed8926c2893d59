package dev.spotter.fleet;

import dev.spotter.api.Api;
import dev.spotter.api.CapacityType;
import dev.spotter.api.GpuPool;
import dev.spotter.config.SpotterConfig;
import dev.spotter.scheduling.Allocations;
import dev.spotter.scheduling.Decision;
import dev.spotter.scheduling.GangPlacer;
import dev.spotter.scheduling.GangRequest;
import dev.spotter.scheduling.NodeInfo;
import dev.spotter.scheduling.ReplicaPlanner;
import dev.spotter.scheduling.Snapshot;
import dev.spotter.scheduling.SpotMix;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's view of the GPU fleet and its single admission point. It watches nodes, pools,
 * namespaces and pods that are not Spotter's, keeps the allocation ledger, and admits one job at a
 * time under a lock: observe (snapshot), decide (pure placement), record (ledger). Jobs that wait
 * are woken when capacity may have changed.
 */
public final class Fleet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Fleet.class);

  private final SpotterConfig config;
  private final Clock clock;
  private final Allocations ledger = new Allocations();
  private final GangPlacer gangPlacer;
  private final ReplicaPlanner replicaPlanner = new ReplicaPlanner();
  private final Map<String, Consumer<String>> wakers = new ConcurrentHashMap<>();
  private final Map<String, String> waiting = new ConcurrentHashMap<>(); // key -> kind
  private final ForeignPods foreignPods;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spotter-fleet-waker");
        t.setDaemon(true);
        return t;
      });
  private final AtomicBoolean wakeScheduled = new AtomicBoolean();
  private final AtomicBoolean catalogDirty = new AtomicBoolean(true);
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private SharedIndexInformer<Node> nodes;
  private SharedIndexInformer<GpuPool> pools;
  private SharedIndexInformer<Namespace> namespaces;
  private volatile PoolCatalog.Catalog catalog;
  private final NoticeBoard notices;
  private final dev.spotter.preemption.source.NoticeParsers podParsers;
  private final List<Consumer<NoticeBoard.Seen>> noticeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Each spot pool's availability as observed so far: the cost policy's view of it. */
  private final Map<String, dev.spotter.policy.AvailabilityHistory> histories = new HashMap<>();
  private java.time.Instant lastObserved;
  private final dev.spotter.policy.SpotterPolicy costPolicy;

  public Fleet(SpotterConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.gangPlacer = new GangPlacer(new SpotMix(config.spotTarget()), config.deadlineMargin(), clock);
    this.foreignPods = new ForeignPods();
    this.podParsers = dev.spotter.preemption.source.NoticeParsers.all(
        new dev.spotter.preemption.source.NoticeContext(clock, dev.spotter.preemption.NoticeWindows.DEFAULTS));
    this.notices = new NoticeBoard(podParsers, clock);
    this.costPolicy = new dev.spotter.policy.SpotterPolicy(config.costPolicyStep());
  }

  /** Notices a pod carries itself (a DisruptionTarget condition): the pod, not its node, is going. */
  public List<dev.spotter.preemption.Notice> podNotices(Pod pod) {
    return podParsers.fromPod(pod);
  }

  /** The notice in force on a node, or null. */
  public dev.spotter.preemption.Notice noticeOn(String node) {
    NoticeBoard.Seen s = notices.on(node);
    return s == null ? null : s.notice();
  }

  /** Monotonic time (System.nanoTime) when the notice on a node was first seen, or 0. */
  public long noticeSeenNanos(String node) {
    NoticeBoard.Seen s = notices.on(node);
    return s == null ? 0 : s.seenNanos();
  }

  /** Called for every new notice (after the jobs on the node were woken), for metrics. */
  public void onNotice(Consumer<dev.spotter.preemption.Notice> listener) {
    noticeListeners.add(seen -> listener.accept(seen.notice()));
  }

  private void noticed(NoticeBoard.Seen seen) {
    catalogDirty.set(true);
    String node = seen.notice().node();
    log.info("notice on node {}: {} from {}, deadline {}", node, seen.notice().kind(), seen.notice().source(), seen.notice().deadline());
    for (String key : ledger.keysOn(node)) {
      String kind = key.substring(0, key.indexOf('/'));
      Consumer<String> w = wakers.get(kind);
      if (w != null) {
        String jobKey = key.contains("#") ? key.substring(0, key.indexOf('#')) : key;
        w.accept(jobKey);
      }
    }
    noticeListeners.forEach(l -> l.accept(seen));
    capacityChanged();
  }

  /** Starts the watches and waits until their caches are filled. */
  public void start(KubernetesClient client) {
    ResourceEventHandler<Object> changed = new ChangeHandler();
    nodes = client.nodes().inform(cast(new NodeChangeHandler()));
    pools = client.resources(GpuPool.class).inform(cast(changed));
    namespaces = client.namespaces().inform();
    SharedIndexInformer<Pod> podInformer =
        client.pods().inAnyNamespace().withoutLabel(Api.LABEL_JOB).inform(foreignPods.handler(this::capacityChanged));
    informers.addAll(List.of(nodes, pools, namespaces, podInformer));
    observeSpotPools();
    long step = config.costPolicyStep().toMillis();
    timer.scheduleAtFixedRate(this::observeSafely, step, step, TimeUnit.MILLISECONDS);
    log.info("fleet caches synced: {} nodes, {} pools, {} namespaces", nodes.getStore().list().size(),
        pools.getStore().list().size(), namespaces.getStore().list().size());
  }

  @SuppressWarnings("unchecked")
  private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<?> h) {
    return (ResourceEventHandler<T>) h;
  }

  /** Registers how to wake a waiting job of one kind (the reconciler's event source). */
  public void onWake(String kind, Consumer<String> waker) {
    wakers.put(kind, waker);
  }

  public SpotterConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Makes the ledger hold what a job's status records (after an operator restart, or when another
   * writer's placement won the optimistic lock over this process's decision): status is the truth.
   */
  public void restore(String key, Allocations.Holding holding) {
    synchronized (this) {
      if (!holding.equals(ledger.get(key))) {
        ledger.put(key, holding);
      }
    }
  }

  /** Admits a gang, or says why it waits. Idempotent: a job that already holds GPUs keeps them. */
  public Decision admitGang(String kind, String key, GangRequest req) {
    synchronized (this) {
      Allocations.Holding held = ledger.get(key);
      if (held != null) {
        waiting.remove(key);
        var pool = catalog().pools().get(held.pool());
        if (pool != null) {
          return new Decision.Placed(pool, held.nodes(), "already admitted");
        }
        ledger.remove(key);
      }
      return admitOn(snapshot(), kind, key, req);
    }
  }

  /** Places a gang that holds nothing on {@code s} and records the outcome (caller holds the lock). */
  private Decision admitOn(Snapshot s, String kind, String key, GangRequest req) {
    Decision d = gangPlacer.place(s, req);
    if (d instanceof Decision.Placed p) {
      ledger.put(key, new Allocations.Holding(p.pool().name(), p.capacityType(), p.nodes(), req.gpusPerWorker()));
      waiting.remove(key);
    } else {
      waiting.put(key, kind);
    }
    return d;
  }

  /**
   * Admits a gang whose spot/on-demand choice the cost policy makes: the policy decides on the
   * same snapshot the placement then uses, with each spot pool's availability history.
   *
   * @param job the job's situation now (not running: it is being admitted)
   */
  public Decision admitGang(String kind, String key, GangRequest req, dev.spotter.policy.JobSituation job) {
    synchronized (this) {
      if (ledger.get(key) != null) {
        return admitGang(kind, key, req);
      }
      Snapshot s = snapshot();
      var advice = advise(s, req, job);
      return admitOn(s, kind, key, advice == null ? req : req.withAdvice(advice));
    }
  }

  /**
   * What the cost policy would do with a running job now, or null when it has no choice to make.
   * The job's own GPUs count as free, as if it were asked where to run from scratch.
   */
  public synchronized dev.spotter.policy.Decision adviseRunning(String key, GangRequest req, dev.spotter.policy.JobSituation job) {
    GangRequest.Advice a = advise(snapshot(ledger.get(key)), req, job);
    return a == null ? null : a.decision();
  }

  private GangRequest.Advice advise(Snapshot s, GangRequest req, dev.spotter.policy.JobSituation job) {
    observe(s);
    var d = dev.spotter.scheduling.CostAdvisor.advise(s, req, job, this::history, costPolicy);
    return d == null ? null : new GangRequest.Advice(d, clock.instant().plus(config.costPolicyStep()));
  }

  /** A spot pool's availability history (empty for a pool never seen). */
  public synchronized dev.spotter.policy.AvailabilityHistory history(String pool) {
    return histories.computeIfAbsent(pool, p -> new dev.spotter.policy.AvailabilityHistory());
  }

  /**
   * Records, for every spot pool, whether it has usable capacity now (a Ready node with GPUs and
   * no notice). Called when nodes change and every cost-policy step, so that run lengths are seen.
   */
  public synchronized void observeSpotPools() {
    observe(snapshot());
  }

  /** Records each spot pool's availability in {@code s} (usable GPUs, whoever holds them) at the clock's time. */
  private void observe(Snapshot s) {
    java.time.Instant now = clock.instant();
    if (lastObserved != null && now.isBefore(lastObserved)) {
      now = lastObserved;
    }
    lastObserved = now;
    for (var p : s.pools()) {
      if (p.capacityType() == CapacityType.Spot) {
        history(p.name()).observe(now, s.usableGpus(p.name()) > 0);
      }
    }
  }

  private void observeSafely() {
    try {
      observeSpotPools();
    } catch (RuntimeException e) {
      log.warn("could not sample spot pool availability: {}", e.toString());
    }
  }

  /** Whether the gang would be placed now, without holding anything (a dry run). */
  public synchronized Decision wouldPlace(GangRequest req) {
    return gangPlacer.place(snapshot(), req);
  }

  /** Plans replicas of an inference job and holds the GPUs of each placed one. */
  public List<ReplicaPlanner.ReplicaDecision> admitReplicas(
      String kind, String jobKey, ReplicaPlanner.Request req, int replicas, int base, int spotPercent,
      List<ReplicaPlanner.Existing> existing, List<Integer> missing) {
    synchronized (this) {
      List<ReplicaPlanner.ReplicaDecision> out =
          replicaPlanner.plan(snapshot(), req, replicas, base, spotPercent, existing, missing);
      boolean anyWait = false;
      for (var rd : out) {
        if (rd.decision() instanceof Decision.Placed p) {
          ledger.put(replicaKey(jobKey, rd.index(), p.nodes().get(0)),
              new Allocations.Holding(p.pool().name(), p.capacityType(), p.nodes(), req.gpusPerReplica()));
        } else {
          anyWait = true;
        }
      }
      if (anyWait) {
        waiting.put(jobKey, kind);
      } else {
        waiting.remove(jobKey);
      }
      return out;
    }
  }

  /** Ledger key of one replica on one node: a replica and its surge replacement are held apart. */
  public static String replicaKey(String jobKey, int index, String node) {
    return jobKey + "#" + index + "@" + node;
  }

  /** Frees what {@code key} holds and wakes the jobs that wait for capacity. */
  public void release(String key) {
    Allocations.Holding h;
    synchronized (this) {
      h = ledger.remove(key);
      waiting.remove(key);
    }
    if (h != null) {
      capacityChanged();
    }
  }

  /** Forgets a job that waits (it was deleted or finished). */
  public void forget(String key) {
    waiting.remove(key);
  }

  /** Keys of every waiting job, for the reaper that forgets deleted ones. */
  public java.util.Set<String> waitingKeys() {
    return java.util.Set.copyOf(waiting.keySet());
  }

  /** Keys of every holding, for the reaper that frees what deleted jobs held. */
  public java.util.Set<String> heldKeys() {
    return ledger.keys();
  }

  public Allocations.Holding holding(String key) {
    return ledger.get(key);
  }

  public Map<String, String> namespaceLabels(String namespace) {
    Namespace ns = namespaces == null ? null : namespaces.getStore().getByKey(namespace);
    Map<String, String> labels = new HashMap<>();
    if (ns != null && ns.getMetadata().getLabels() != null) {
      labels.putAll(ns.getMetadata().getLabels());
    }
    labels.putIfAbsent("kubernetes.io/metadata.name", namespace);
    return labels;
  }

  public Node node(String name) {
    return nodes == null ? null : nodes.getStore().getByKey(name);
  }

  public PoolCatalog.Catalog catalog() {
    if (catalogDirty.getAndSet(false) || catalog == null) {
      catalog = PoolCatalog.resolve(
          pools == null ? List.of() : pools.getStore().list(),
          nodes == null ? List.of() : nodes.getStore().list(),
          config, notices::blocksNewWork);
    }
    return catalog;
  }

  /** The fleet as placement sees it now. */
  public synchronized Snapshot snapshot() {
    return snapshot(null);
  }

  /** The fleet as placement sees it now, with the GPUs of {@code mine} counted as free. */
  private Snapshot snapshot(Allocations.Holding mine) {
    PoolCatalog.Catalog c = catalog();
    Map<String, List<NodeInfo>> byPool = new LinkedHashMap<>();
    c.pools().keySet().forEach(p -> byPool.put(p, new ArrayList<>()));
    Map<String, Map<String, Integer>> foreign = foreignPods.gpusByNode();
    for (PoolCatalog.GpuNode n : c.nodes().values()) {
      String resource = c.pools().get(n.pool()).gpuResource();
      int own = mine == null ? 0 : mine.gpusPerNode() * (int) mine.nodes().stream().filter(n.name()::equals).count();
      int used = ledger.gpusOnNode(n.name()) - own + foreign.getOrDefault(n.name(), Map.of()).getOrDefault(resource, 0);
      byPool.get(n.pool()).add(new NodeInfo(n.name(), n.pool(), n.allocatableGpus(), used, n.usable()));
    }
    return new Snapshot(c.pools(), byPool, ledger.gpus(CapacityType.Spot), ledger.gpus(CapacityType.OnDemand));
  }

  public synchronized Map<String, Integer> allocatedByPool() {
    return ledger.gpusByPool();
  }

  public synchronized long allocated(CapacityType type) {
    return ledger.gpus(type);
  }

  public int waitingCount() {
    return waiting.size();
  }

  /** Capacity may have changed: wake every waiting job, at most a few times a second. */
  void capacityChanged() {
    if (wakeScheduled.compareAndSet(false, true)) {
      timer.schedule(this::wakeAll, 100, TimeUnit.MILLISECONDS);
    }
  }

  private void wakeAll() {
    wakeScheduled.set(false);
    observeSafely();
    for (var e : new ArrayList<>(waiting.entrySet())) {
      Consumer<String> w = wakers.get(e.getValue());
      if (w != null) {
        try {
          w.accept(e.getKey());
        } catch (RuntimeException ex) {
          log.warn("could not wake {}: {}", e.getKey(), ex.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    timer.shutdownNow();
  }

  /** Pools changed: recompute the catalog and wake waiting jobs. */
  private final class ChangeHandler implements ResourceEventHandler<Object> {
    @Override
    public void onAdd(Object obj) {
      catalogDirty.set(true);
      capacityChanged();
    }

    @Override
    public void onUpdate(Object oldObj, Object newObj) {
      catalogDirty.set(true);
      capacityChanged();
    }

    @Override
    public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
      catalogDirty.set(true);
      capacityChanged();
    }
  }

  /** Nodes changed in a way placement cares about (not a mere heartbeat). */
  private final class NodeChangeHandler implements ResourceEventHandler<Node> {
    @Override
    public void onAdd(Node n) {
      notices.observe(n, Fleet.this::noticed);
      catalogDirty.set(true);
      capacityChanged();
    }

    @Override
    public void onUpdate(Node oldNode, Node newNode) {
      notices.observe(newNode, Fleet.this::noticed);
      if (!NodeFingerprint.of(oldNode).equals(NodeFingerprint.of(newNode))) {
        catalogDirty.set(true);
        capacityChanged();
      }
    }

    @Override
    public void onDelete(Node n, boolean deletedFinalStateUnknown) {
      notices.deleted(n, Fleet.this::noticed);
      catalogDirty.set(true);
      capacityChanged();
    }
  }
}
