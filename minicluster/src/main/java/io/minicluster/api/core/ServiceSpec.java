package io.minicluster.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.meta.JsonValues;
import java.util.List;
import java.util.Map;

/**
 * v1.ServiceSpec. sessionAffinityConfig, allocateLoadBalancerNodePorts, loadBalancerClass, ipFamilyPolicy and
 * trafficDistribution are null when unset; an absent selector is the empty map (no endpoints are managed then).
 */
public record ServiceSpec(List<ServicePort> ports, Map<String, String> selector, String clusterIP,
    List<String> clusterIPs, String type, List<String> externalIPs, String sessionAffinity, String loadBalancerIP,
    List<String> loadBalancerSourceRanges, String externalName, String externalTrafficPolicy, int healthCheckNodePort,
    boolean publishNotReadyAddresses, SessionAffinityConfig sessionAffinityConfig, List<String> ipFamilies,
    String ipFamilyPolicy, Boolean allocateLoadBalancerNodePorts, String loadBalancerClass,
    String internalTrafficPolicy, String trafficDistribution) {

  public static final String CLUSTER_IP_NONE = "None";

  public ServiceSpec {
    ports = List.copyOf(ports);
    selector = Map.copyOf(selector);
    clusterIPs = List.copyOf(clusterIPs);
    externalIPs = List.copyOf(externalIPs);
    loadBalancerSourceRanges = List.copyOf(loadBalancerSourceRanges);
    ipFamilies = List.copyOf(ipFamilies);
  }

  public static ServiceSpec from(JsonNode node) {
    return new ServiceSpec(JsonValues.list(node, "ports", ServicePort::from), JsonValues.stringMap(node, "selector"),
        JsonValues.string(node, "clusterIP"), JsonValues.strings(node, "clusterIPs"), JsonValues.string(node, "type"),
        JsonValues.strings(node, "externalIPs"), JsonValues.string(node, "sessionAffinity"),
        JsonValues.string(node, "loadBalancerIP"), JsonValues.strings(node, "loadBalancerSourceRanges"),
        JsonValues.string(node, "externalName"), JsonValues.string(node, "externalTrafficPolicy"),
        JsonValues.int32(node, "healthCheckNodePort"), JsonValues.bool(node, "publishNotReadyAddresses"),
        JsonValues.optional(node, "sessionAffinityConfig", SessionAffinityConfig::from),
        JsonValues.strings(node, "ipFamilies"), JsonValues.optionalString(node, "ipFamilyPolicy"),
        JsonValues.optionalBool(node, "allocateLoadBalancerNodePorts"),
        JsonValues.optionalString(node, "loadBalancerClass"), JsonValues.string(node, "internalTrafficPolicy"),
        JsonValues.optionalString(node, "trafficDistribution"));
  }

  /** Whether the service is headless (clusterIP "None"). */
  public boolean isHeadless() {
    return CLUSTER_IP_NONE.equals(clusterIP);
  }
}
