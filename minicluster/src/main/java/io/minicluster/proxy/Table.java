package io.minicluster.proxy;

/** The iptables tables the proxy writes. */
public enum Table {
  FILTER("filter"),
  NAT("nat");

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
