package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;

/** v1.PodDNSConfig. */
public record PodDNSConfig(List<String> nameservers, List<String> searches, List<PodDNSConfigOption> options) {

  public PodDNSConfig {
    nameservers = List.copyOf(nameservers);
    searches = List.copyOf(searches);
    options = List.copyOf(options);
  }

  public static PodDNSConfig from(JsonNode node) {
    return new PodDNSConfig(JsonValues.strings(node, "nameservers"), JsonValues.strings(node, "searches"),
        JsonValues.list(node, "options", PodDNSConfigOption::from));
  }
}
