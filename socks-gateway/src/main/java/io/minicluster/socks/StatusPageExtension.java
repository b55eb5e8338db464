package io.minicluster.socks;

import java.util.List;

/** Lets the embedding application add sections to the status page; called on every page request. */
@FunctionalInterface
public interface StatusPageExtension {

  List<StatusSection> sections();
}
