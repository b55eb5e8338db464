package io.minicluster.gateway;

/**
 * The ports the API server allocates NodePorts from (its --service-node-port-range, 30000-32767 by default): the
 * gateway reaches these ports, and only these, on the node's own addresses.
 */
public record NodePortRange(int first, int last) {
  public NodePortRange {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException("invalid NodePort range " + first + "-" + last);
    }
  }

  public boolean contains(int port) {
    return port >= first && port <= last;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
