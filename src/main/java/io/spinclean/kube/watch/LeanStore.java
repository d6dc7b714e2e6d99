package io.spinclean.kube.watch;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's item store (fabric8's {@link ItemStore}, set with {@code
 * SharedIndexInformer.itemStore}) that keeps a lean copy of each object ({@link LeanCopy}) instead
 * of the object as listed or watched. Keyed as fabric8's default store is ({@code namespace/name}).
 *
 * <p>fabric8 hands its event handlers the object it received for an add or an update, and the
 * stored copy as the old object of an update or the object of a delete: the handlers read only what
 * the copies keep.
 */
final class LeanStore<T extends HasMetadata> implements ItemStore<T> {
  private final Map<String, T> items = new ConcurrentHashMap<>();
  private final UnaryOperator<T> lean;

  LeanStore(UnaryOperator<T> lean) {
    this.lean = Objects.requireNonNull(lean, "lean");
  }

  @Override
  public String getKey(T obj) {
    return Cache.metaNamespaceKeyFunc(obj);
  }

  @Override
  public T put(String key, T obj) {
    return items.put(key, lean.apply(obj));
  }

  @Override
  public T remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<T> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public T get(String key) {
    return items.get(key);
  }
}
