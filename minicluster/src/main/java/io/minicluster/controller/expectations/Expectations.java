package io.minicluster.controller.expectations;

import io.minicluster.api.meta.ObjectMeta;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * ControllerExpectations, level-checked: after a controller creates or deletes children for a key, it does not act
 * on that key again until its cache shows every created child and no deleted one (or a timeout passes), so a lagging
 * informer never causes duplicate creations or deletions.
 */
public final class Expectations {
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  private record Pending(Set<String> creates, Set<String> deletes, Instant deadline) {}

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Clock clock;

  public Expectations(Clock clock) {
    this.clock = clock;
  }

  /** Remembers children created (by name) and deleted (by uid) for a key. */
  public void expect(String key, Collection<String> createdNames, Collection<String> deletedUids) {
    if (createdNames.isEmpty() && deletedUids.isEmpty()) {
      return;
    }
    pending.put(key, new Pending(new HashSet<>(createdNames), new HashSet<>(deletedUids),
        clock.instant().plus(TIMEOUT)));
  }

  /**
   * Whether the cache caught up: every created name is present and no deleted uid is present except as being
   * deleted.
   *
   * @param cached whether a child of a name is in the cache
   * @param children the cached children
   */
  public boolean satisfied(String key, Predicate<String> cached, Collection<ObjectMeta> children) {
    Pending expectation = pending.get(key);
    if (expectation == null) {
      return true;
    }
    boolean done = clock.instant().isAfter(expectation.deadline());
    if (!done) {
      done = expectation.creates().stream().allMatch(cached);
      if (done) {
        for (ObjectMeta child : children) {
          if (expectation.deletes().contains(child.uid()) && !child.isDeleting()) {
            done = false;
            break;
          }
        }
      }
    }
    if (done) {
      pending.remove(key, expectation);
    }
    return done;
  }

  public void forget(String key) {
    pending.remove(key);
  }
}
