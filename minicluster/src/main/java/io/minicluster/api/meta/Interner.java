package io.minicluster.api.meta;

import static java.util.Objects.requireNonNull;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One shared instance of equal immutable read-model values that many objects repeat: every pod has the same two
 * default tolerations and the same service account volume source, and the pods started in one second carry equal
 * conditions. Decoders of such values return {@link #intern}{@code (value)}, so that 10,000 pods hold a few instances
 * of each instead of 10,000 equal ones. The values are held weakly: one that no object uses any more goes. Only for
 * records of immutable components whose equal instances are interchangeable.
 */
public final class Interner {
  private static final Map<Object, WeakReference<Object>> VALUES = new WeakHashMap<>();

  private Interner() {}

  /** The instance equal to {@code value} already in use, else {@code value}, which becomes it. */
  @SuppressWarnings("unchecked")
  public static synchronized <T> T intern(T value) {
    requireNonNull(value, "value is null");
    WeakReference<Object> known = VALUES.get(value);
    Object shared = known == null ? null : known.get();
    if (shared != null) {
      return (T) shared;
    }
    VALUES.put(value, new WeakReference<>(value));
    return value;
  }
}
