package io.minicluster.dns;

/** A pod's {@code spec.dnsPolicy}. */
public enum DnsPolicy {
  CLUSTER_FIRST("ClusterFirst"),
  CLUSTER_FIRST_WITH_HOST_NET("ClusterFirstWithHostNet"),
  DEFAULT("Default"),
  NONE("None");

  private final String apiName;

  DnsPolicy(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }

  /** The policy of that API name; null for any other value. */
  public static DnsPolicy fromApiName(String name) {
    for (DnsPolicy policy : values()) {
      if (policy.apiName.equals(name)) {
        return policy;
      }
    }
    return null;
  }
}
