package io.minicluster.proxy;

/**
 * The iptables tables the proxy writes, in the order they are written. nat comes first: iptables-restore commits
 * each table on its own, and a service whose endpoints come back must have its DNAT before the filter table drops its
 * REJECT, or a connection opened in between has neither and leaves by the default route (the REJECT, matching the
 * service address, never matches a packet already DNATed, so the other way round has no such gap).
 */
public enum Table {
  NAT("nat"),
  FILTER("filter");

  private final String iptablesName;

  Table(String iptablesName) {
    this.iptablesName = iptablesName;
  }

  /** The name iptables uses ({@code *nat}). */
  public String iptablesName() {
    return iptablesName;
  }

  /** The table of a name, or null. */
  public static Table of(String name) {
    for (Table table : values()) {
      if (table.iptablesName.equals(name)) {
        return table;
      }
    }
    return null;
  }
}
