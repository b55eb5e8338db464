package io.minicluster.socks.policy;

/** An inclusive range of TCP ports. */
public record PortRange(int first, int last) {

  public static final PortRange ALL = new PortRange(0, 65535);

  public PortRange {
    if (first < 0 || last > 65535 || first > last) {
      throw new IllegalArgumentException("bad port range " + first + "-" + last);
    }
  }

  /** Parses {@code 80} or {@code 8000-9000}. */
  public static PortRange parse(String text) {
    String trimmed = text.trim();
    int dash = trimmed.indexOf('-');
    try {
      if (dash < 0) {
        int port = Integer.parseInt(trimmed);
        return new PortRange(port, port);
      }
      return new PortRange(Integer.parseInt(trimmed.substring(0, dash)), Integer.parseInt(trimmed.substring(dash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port range '" + text + "'");
    }
  }

  public boolean contains(int port) {
    return port >= first && port <= last;
  }

  @Override
  public String toString() {
    if (this.equals(ALL)) {
      return "*";
    }
    return first == last ? Integer.toString(first) : first + "-" + last;
  }
}
