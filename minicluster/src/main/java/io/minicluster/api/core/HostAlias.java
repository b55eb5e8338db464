package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.HostAlias: an /etc/hosts entry. */
public record HostAlias(String ip, List<String> hostnames) {

  public HostAlias {
    hostnames = List.copyOf(hostnames);
  }

  public static HostAlias from(JsonNode node) {
    return new HostAlias(JsonValues.string(node, "ip"), JsonValues.strings(node, "hostnames"));
  }
}
