package io.minicluster.socks;

import java.util.List;

/**
 * Lets the embedding application add sections to the status page (shown first, before the gateway's own), e.g. the
 * cluster's services and pods with links to their ports and why what is not ready is not. Called on every page
 * request, on a Netty event loop: answer from memory (an informer's cache), never block.
 */
@FunctionalInterface
public interface StatusPageExtension {

  List<StatusSection> sections();
}
