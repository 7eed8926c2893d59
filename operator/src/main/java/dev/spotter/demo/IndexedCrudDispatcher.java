package dev.spotter.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fabric8 CRUD dispatcher with an index by object name. The stock one finds the object of
 * every create, update, patch and get by scanning all stored objects, which makes a cluster of
 * 10,000 jobs and pods crawl; here single-object look-ups go through a name index. Same
 * behaviour, same storage: only the look-up changes, and one gap to a real API server is closed:
 * a status update whose {@code resourceVersion} is not the stored one is refused with 409, as
 * kube-apiserver does (the stock mock ignores the precondition on the status subresource).
 */
public final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private final IndexedMap indexed = new IndexedMap();
  /** Held by one write at a time (never while waiting for the store's own lock from a read). */
  private final Object writes = new Object();

  public IndexedCrudDispatcher() {
    super(List.of());
    try {
      // the stock store is a plain final map; put an indexing one in its place before first use
      Field f = CrudDispatcher.class.getDeclaredField("map");
      f.setAccessible(true);
      f.set(this, indexed);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot index the mock API server's store", e);
    }
  }

  /**
   * The mock server has no RBAC: a SelfSubjectRulesReview (JOSDK asks one before it runs for the
   * leader-election Lease) is answered "everything is allowed", as for a cluster admin.
   */
  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if ("POST".equals(request.getMethod()) && request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
      return new MockResponse().setResponseCode(201).setBody(
          "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\",\"metadata\":{},"
              + "\"spec\":{},\"status\":{\"resourceRules\":[{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}],"
              + "\"nonResourceRules\":[],\"incomplete\":false}}");
    }
    if ("GET".equals(request.getMethod())) {
      return super.dispatch(request);
    }
    synchronized (writes) { // the precondition check and the write it guards happen as one step
      MockResponse stale = staleStatusWrite(request);
      return stale != null ? stale : super.dispatch(request);
    }
  }

  /**
   * A real API server checks the resourceVersion precondition on status writes too; the stock
   * mock ignores it there (it compares the stored object with itself). Answers 409 as the API
   * server does when a PUT to a status subresource names an older resourceVersion.
   */
  private MockResponse staleStatusWrite(RecordedRequest request) {
    String path = request.getPath();
    int q = path.indexOf('?');
    String bare = q < 0 ? path : path.substring(0, q);
    if (!"PUT".equals(request.getMethod()) || !bare.endsWith("/status") || request.getBody() == null) {
      return null;
    }
    String sent;
    try {
      sent = Serialization.jsonMapper().readTree(request.getBody().getBytes())
          .path("metadata").path("resourceVersion").asText("");
    } catch (IOException e) {
      return null; // the CRUD dispatcher answers a body it cannot read
    }
    Map.Entry<AttributeSet, String> stored = sent.isEmpty() ? null : findResource(getKey(bare.substring(0, bare.length() - 7)));
    if (stored == null) {
      return null;
    }
    JsonNode meta;
    try {
      meta = Serialization.jsonMapper().readTree(stored.getValue()).path("metadata");
    } catch (IOException e) {
      return null;
    }
    if (sent.equals(meta.path("resourceVersion").asText())) {
      return null;
    }
    Attribute plural = stored.getKey().getAttribute("plural");
    String kind = plural == null ? "object" : String.valueOf(plural.getValues().get(0));
    String message = "Operation cannot be fulfilled on " + kind + " \"" + meta.path("name").asText()
        + "\": the object has been modified; please apply your changes to the latest version and try again";
    return new MockResponse().setResponseCode(409).setBody("{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\","
        + "\"reason\":\"Conflict\",\"code\":409,\"message\":" + Serialization.asJson(message) + "}");
  }

  /** Told of every write the store commits, in commit order: an audit log of the API server. */
  public interface CommitListener {
    /**
     * One committed change of one object, as JSON; called under the store's write lock, so keep
     * it short.
     *
     * @param before the object before the write, null when it was created
     * @param after the object after the write, null when it was deleted
     */
    void committed(String before, String after);
  }

  private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();

  /** Adds a listener for every committed write from now on. */
  public IndexedCrudDispatcher onCommit(CommitListener listener) {
    listeners.add(listener);
    return this;
  }

  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    String before = oldAttributes == null ? null : indexed.get(oldAttributes);
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (!listeners.isEmpty() && !Objects.equals(before, newState)) {
      listeners.forEach(l -> l.committed(before, newState));
    }
  }


  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    String name = name(query);
    if (name == null) {
      return super.findResource(query);
    }
    synchronized (indexed) {
      Set<AttributeSet> candidates = indexed.byName.get(name);
      if (candidates == null) {
        return null;
      }
      for (AttributeSet key : candidates) {
        if (key.matches(query)) {
          return Map.entry(key, indexed.get(key));
        }
      }
      return null;
    }
  }

  static String name(AttributeSet set) {
    Attribute a = set.getAttribute("name");
    if (a == null || a.getValues().size() != 1) {
      return null;
    }
    return a.getValues().get(0).toString();
  }

  /** A map that keeps a name index of its keys on every put and remove. */
  private static final class IndexedMap extends LinkedHashMap<AttributeSet, String> {
    final Map<String, Set<AttributeSet>> byName = new HashMap<>();

    @Override
    public synchronized String put(AttributeSet key, String value) {
      String name = name(key);
      if (name != null) {
        byName.computeIfAbsent(name, n -> new HashSet<>()).add(key);
      }
      return super.put(key, value);
    }

    @Override
    public synchronized String remove(Object key) {
      if (key instanceof AttributeSet set) {
        String name = name(set);
        Set<AttributeSet> s = name == null ? null : byName.get(name);
        if (s != null) {
          s.remove(set);
          if (s.isEmpty()) {
            byName.remove(name);
          }
        }
      }
      return super.remove(key);
    }

    @Override
    public synchronized void clear() {
      byName.clear();
      super.clear();
    }
  }
}
