package io.minicluster.registry.v1beta3;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.registry.StorageConversion;
import io.minicluster.json.Json;
import java.util.Map;

/**
 * v1beta3 Services to and from the stored v1 ones, as pkg/api/v1beta3's conversion did it: ServiceSpec
 * {@code portalIP} is v1's clusterIP, {@code publicIPs} v1's externalIPs (then deprecatedPublicIPs), and
 * {@code createExternalLoadBalancer} stands for type LoadBalancer (a service without a type that asks for an
 * external load balancer is of that type; reading a LoadBalancer service sets it).
 */
public final class ServiceConversion implements StorageConversion {
  private static final Map<String, String> TO_V1 = Map.of("portalIP", "clusterIP", "publicIPs", "externalIPs");
  private static final Map<String, String> FROM_V1 = Map.of("clusterIP", "portalIP", "externalIPs", "publicIPs");
  private static final String LOAD_BALANCER = "LoadBalancer";

  @Override
  public ResourceType storedAs(ResourceType served) {
    return ResourceTypes.SERVICES;
  }

  @Override
  public ObjectNode toStorage(ObjectNode served) {
    ObjectNode service = Trees.typed(requireNonNull(served, "served is null"), "v1", "Service");
    Trees.rewrite(service, "spec", spec -> {
      ObjectNode v1 = Trees.renamed(spec, TO_V1);
      JsonNode loadBalancer = v1.remove("createExternalLoadBalancer");
      if (Json.text(v1, "type").isEmpty() && loadBalancer != null && loadBalancer.asBoolean(false)) {
        v1.put("type", LOAD_BALANCER);
      }
      return v1;
    });
    return service;
  }

  @Override
  public ObjectNode fromStorage(ObjectNode stored) {
    ObjectNode service = Trees.typed(requireNonNull(stored, "stored is null"), "v1beta3", "Service");
    Trees.rewrite(service, "spec", spec -> {
      ObjectNode v1beta3 = Trees.renamed(spec, FROM_V1);
      if (Json.text(v1beta3, "type").equals(LOAD_BALANCER)) {
        v1beta3.put("createExternalLoadBalancer", true);
      }
      return v1beta3;
    });
    return service;
  }
}
