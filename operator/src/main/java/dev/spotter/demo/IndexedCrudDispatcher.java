package dev.spotter.demo;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fabric8 CRUD dispatcher with an index by object name. The stock one finds the object of
 * every create, update, patch and get by scanning all stored objects, which makes a cluster of
 * 10,000 jobs and pods crawl; here single-object look-ups go through a name index. Same
 * behaviour, same storage: only the look-up changes.
 */
public final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private final IndexedMap indexed = new IndexedMap();

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
  public io.fabric8.mockwebserver.http.MockResponse dispatch(io.fabric8.mockwebserver.http.RecordedRequest request) {
    if ("POST".equals(request.getMethod()) && request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
      return new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(201).setBody(
          "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\",\"metadata\":{},"
              + "\"spec\":{},\"status\":{\"resourceRules\":[{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}],"
              + "\"nonResourceRules\":[],\"incomplete\":false}}");
    }
    return super.dispatch(request);
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
