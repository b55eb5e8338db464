package io.minicluster.socks.resolve;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves a fixed map of names. Names under one of the owned suffixes (e.g. {@code .test}) that are not in the map
 * are {@link Resolution.Unknown}; all other names are {@link Resolution.NotMine}.
 */
public final class StaticNameResolver implements NameResolver {

  private final Map<String, InetAddress> names;
  private final List<String> ownedSuffixes;

  public StaticNameResolver(Map<String, InetAddress> names, List<String> ownedSuffixes) {
    requireNonNull(names, "names is null");
    requireNonNull(ownedSuffixes, "ownedSuffixes is null");
    this.names = Map.copyOf(names);
    this.ownedSuffixes = ownedSuffixes.stream().map(suffix -> suffix.toLowerCase(Locale.ROOT)).toList();
  }

  /** Lookups in an immutable map. */
  @Override
  public boolean mayBlock() {
    return false;
  }

  @Override
  public Resolution resolve(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    InetAddress address = names.get(name);
    if (address != null) {
      return Resolution.resolved(address);
    }
    for (String suffix : ownedSuffixes) {
      String bare = suffix.startsWith(".") ? suffix.substring(1) : suffix;
      if (name.equals(bare) || name.endsWith("." + bare)) {
        return Resolution.unknown();
      }
    }
    return Resolution.notMine();
  }
}
