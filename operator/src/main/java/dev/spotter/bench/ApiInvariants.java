package dev.spotter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotter.api.Api;
import dev.spotter.demo.IndexedCrudDispatcher;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks Spotter's promises on the API server's own history: every committed write, in commit
 * order, as the embedded API server applies it (an audit log, not the operator's word). It sees
 * each state the store passes through, so "at any moment" means exactly that.
 *
 * <ul>
 *   <li>Duplicate pods: a training rank (job and rank labels) with two or more live pods in one
 *       state of the store. Live: not Succeeded or Failed, and the node it is bound or pinned to
 *       still exists (a pod whose node was deleted can no longer run).
 *   <li>Lost checkpoints: a job's {@code status.lastCheckpoint} vanishes once set, or is replaced
 *       by an older one (in the workload's own commit order); or a pod is created with a
 *       {@code SPOTTER_RESUME_FROM} other than the {@code lastCheckpoint} its job records at that
 *       moment (or none while one is recorded).
 * </ul>
 *
 * Also keeps, per job, its last committed phase and reason and which checkpoint each attempt's
 * pods resumed from, for the checks that need the workers' side too.
 */
public final class ApiInvariants implements IndexedCrudDispatcher.CommitListener {
  /** A job's order of checkpoints, from the workload that wrote them: larger is newer, -1 unknown. */
  public interface CheckpointOrder {
    long of(String namespace, String job, String checkpointId);
  }

  /** A job as its last committed state shows it. */
  public record JobState(String phase, String reason, int attempt, String lastCheckpoint, boolean deleted) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CheckpointOrder order;
  private final Set<String> nodes = new HashSet<>();
  private final Map<String, LivePod> pods = new HashMap<>();
  private final Map<String, Set<String>> podsOfRank = new HashMap<>();
  private final Map<String, JobState> jobs = new TreeMap<>();
  /** The last few statuses of each job, for describing a loss. */
  private final Map<String, Deque<String>> history = new HashMap<>();
  private final Map<String, Map<Integer, String>> resumedFrom = new HashMap<>();
  private final Set<String> duplicateRanks = new TreeSet<>();
  private final List<String> checkpointLosses = new ArrayList<>();
  private final List<Replacement> replaced = new ArrayList<>();
  private long commits;

  public ApiInvariants(CheckpointOrder order) {
    this.order = order;
  }

  @Override
  public synchronized void committed(String before, String after) {
    commits++;
    JsonNode now = parse(after);
    JsonNode was = parse(before);
    JsonNode any = now != null ? now : was;
    if (any == null) {
      return;
    }
    String kind = any.path("kind").asText();
    String name = any.path("metadata").path("name").asText();
    String namespace = any.path("metadata").path("namespace").asText();
    switch (kind) {
      case "Node" -> node(name, now);
      case "Pod" -> pod(namespace + "/" + name, was, now);
      case "TrainingJob" -> job(namespace + "/" + name, now);
      default -> { }
    }
  }

  private void node(String name, JsonNode now) {
    if (now == null) {
      nodes.remove(name);
    } else if (nodes.add(name)) {
      // a node (re)appearing can make pods pinned to it live again
      pods.values().stream().filter(p -> name.equals(p.node)).map(p -> p.rank).distinct().toList().forEach(this::checkRank);
    }
  }

  private void pod(String key, JsonNode was, JsonNode now) {
    JsonNode any = now != null ? now : was;
    JsonNode labels = any.path("metadata").path("labels");
    if (!"TrainingJob".equals(labels.path(Api.LABEL_KIND).asText()) || !labels.has(Api.LABEL_JOB) || !labels.has(Api.LABEL_RANK)) {
      return;
    }
    String job = any.path("metadata").path("namespace").asText() + "/" + labels.path(Api.LABEL_JOB).asText();
    String rank = job + "/" + labels.path(Api.LABEL_RANK).asText();
    if (now == null) {
      pods.remove(key);
      Set<String> same = podsOfRank.get(rank);
      if (same != null) {
        same.remove(key);
      }
      return;
    }
    String phase = now.path("status").path("phase").asText("");
    String node = now.path("spec").path("nodeName").asText(null);
    if (node == null) {
      node = now.path("metadata").path("annotations").path(Api.ANNOTATION_NODE).asText(null);
    }
    pods.put(key, new LivePod(rank, node, "Succeeded".equals(phase) || "Failed".equals(phase)));
    podsOfRank.computeIfAbsent(rank, k -> new HashSet<>()).add(key);
    if (was == null) {
      created(job, labels, now);
    }
    checkRank(rank);
  }

  /** A new pod must resume from the checkpoint its job records right now. */
  private void created(String job, JsonNode labels, JsonNode pod) {
    String resume = null;
    for (JsonNode e : pod.path("spec").path("containers").path(0).path("env")) {
      if ("SPOTTER_RESUME_FROM".equals(e.path("name").asText())) {
        resume = e.path("value").asText(null);
      }
    }
    int attempt = labels.path(Api.LABEL_ATTEMPT).asInt();
    resumedFrom.computeIfAbsent(job, k -> new HashMap<>()).putIfAbsent(attempt, resume == null ? "" : resume);
    JobState js = jobs.get(job);
    String recorded = js == null ? null : js.lastCheckpoint();
    if (recorded != null && !recorded.equals(resume)) {
      checkpointLosses.add(job + ": pod " + pod.path("metadata").path("name").asText() + " resumes from "
          + (resume == null ? "nothing" : resume) + " while the job records checkpoint " + recorded);
    }
  }

  private void checkRank(String rank) {
    long live = podsOfRank.getOrDefault(rank, Set.of()).stream().map(pods::get)
        .filter(p -> p != null && !p.ended && (p.node == null || nodes.contains(p.node))).count();
    if (live > 1) {
      duplicateRanks.add(rank);
    }
  }

  private void job(String key, JsonNode now) {
    JobState prev = jobs.get(key);
    if (now == null) {
      if (prev != null) {
        jobs.put(key, new JobState(prev.phase(), prev.reason(), prev.attempt(), prev.lastCheckpoint(), true));
      }
      return;
    }
    JsonNode st = now.path("status");
    String last = st.path("lastCheckpoint").path("id").asText(null);
    String lastWhat = last == null ? "" : " (" + st.path("lastCheckpoint").path("source").asText() + ", attempt "
        + st.path("lastCheckpoint").path("attempt").asText() + ", recorded in attempt " + st.path("attempt").asInt() + ")";
    JobState next = new JobState(st.path("phase").asText("Pending"), st.path("reason").asText(""), st.path("attempt").asInt(0), last, false);
    Deque<String> h = history.computeIfAbsent(key, k -> new ArrayDeque<>());
    h.addLast("attempt " + next.attempt() + " " + next.phase() + " lastCheckpoint " + last + lastWhat);
    if (h.size() > 6) {
      h.removeFirst();
    }
    if (prev != null && prev.lastCheckpoint() != null) {
      if (last == null) {
        checkpointLosses.add(key + ": lastCheckpoint " + prev.lastCheckpoint() + " vanished from status");
        next = new JobState(next.phase(), next.reason(), next.attempt(), prev.lastCheckpoint(), false);
      } else if (!last.equals(prev.lastCheckpoint())) {
        // judged later, off the API server's thread: the order comes from the workloads, which have locks of their own
        replaced.add(new Replacement(key, prev.lastCheckpoint(), last, lastWhat, String.join(" | ", h)));
      }
    }
    jobs.put(key, next);
  }

  private static JsonNode parse(String json) {
    if (json == null) {
      return null;
    }
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return null;
    }
  }

  /** Ranks (namespace/job/rank) that had two live pods in some state of the store. */
  public synchronized Set<String> duplicateRanks() {
    return new TreeSet<>(duplicateRanks);
  }

  /** Every checkpoint loss seen, described, each starting with "namespace/job: ". */
  public synchronized List<String> checkpointLosses() {
    List<String> out = new ArrayList<>(checkpointLosses);
    for (Replacement r : replaced) {
      String[] nsName = r.job().split("/", 2);
      if (order.of(nsName[0], nsName[1], r.to()) < order.of(nsName[0], nsName[1], r.from())) {
        out.add(r.job() + ": lastCheckpoint went back from " + r.from() + " to " + r.to() + r.what() + "; status history: "
            + r.history());
      }
    }
    return out;
  }

  /** Jobs by namespace/name, as last committed. */
  public synchronized Map<String, JobState> jobs() {
    return new LinkedHashMap<>(jobs);
  }

  /** The checkpoint the pods of an attempt were created to resume from ("" for none), or null if it had no pods. */
  public synchronized String resumedFrom(String job, int attempt) {
    return resumedFrom.getOrDefault(job, Map.of()).get(attempt);
  }

  /** Writes the store committed so far. */
  public synchronized long commits() {
    return commits;
  }

  private record LivePod(String rank, String node, boolean ended) {}

  /** One lastCheckpoint replaced by another, to be judged against the workload's order. */
  private record Replacement(String job, String from, String to, String what, String history) {}
}
