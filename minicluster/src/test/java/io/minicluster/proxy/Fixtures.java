package io.minicluster.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.core.Service;
import io.minicluster.api.discovery.EndpointSlice;

/** Services and endpoint slices for the proxy's tests, built as the API serves them. */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();
  /** The chains of the tests' proxies. */
  static final Chains CHAINS = Chains.withPrefix("MINICLUSTER-");

  private Fixtures() {}

  /** A ClusterIP service with one TCP port named "http", port → target 8080. */
  static ObjectNode service(String namespace, String name, String clusterIp, int port) {
    ObjectNode service = JSON.createObjectNode();
    service.put("apiVersion", "v1").put("kind", "Service");
    service.putObject("metadata").put("namespace", namespace).put("name", name);
    ObjectNode spec = service.putObject("spec");
    spec.put("type", "ClusterIP").put("clusterIP", clusterIp).put("sessionAffinity", "None")
        .put("internalTrafficPolicy", "Cluster");
    spec.putArray("clusterIPs").add(clusterIp);
    spec.putArray("ports").addObject().put("name", "http").put("protocol", "TCP").put("port", port)
        .put("targetPort", 8080);
    return service;
  }

  static ObjectNode spec(ObjectNode service) {
    return (ObjectNode) service.get("spec");
  }

  static ObjectNode firstPort(ObjectNode service) {
    return (ObjectNode) spec(service).get("ports").get(0);
  }

  /** An IPv4 slice of a service with port "http"/TCP 8080 and ready endpoints at the given IPs. */
  static ObjectNode slice(String namespace, String service, String... readyIps) {
    ObjectNode slice = JSON.createObjectNode();
    slice.put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice").put("addressType", "IPv4");
    ObjectNode metadata = slice.putObject("metadata").put("namespace", namespace).put("name", service + "-abcde");
    metadata.putObject("labels").put(ProxyRules.SERVICE_NAME_LABEL, service);
    slice.putArray("ports").addObject().put("name", "http").put("protocol", "TCP").put("port", 8080);
    ArrayNode endpoints = slice.putArray("endpoints");
    for (String ip : readyIps) {
      endpoint(slice, ip, true, true, false);
    }
    return slice;
  }

  /** Adds an endpoint with explicit conditions. */
  static ObjectNode endpoint(ObjectNode slice, String ip, Boolean ready, Boolean serving, Boolean terminating) {
    ObjectNode endpoint = ((ArrayNode) slice.get("endpoints")).addObject();
    endpoint.putArray("addresses").add(ip);
    ObjectNode conditions = endpoint.putObject("conditions");
    if (ready != null) {
      conditions.put("ready", ready);
    }
    if (serving != null) {
      conditions.put("serving", serving);
    }
    if (terminating != null) {
      conditions.put("terminating", terminating);
    }
    endpoint.put("nodeName", "node-a");
    return endpoint;
  }

  static Service typed(ObjectNode service) {
    return Service.from(service);
  }

  static EndpointSlice typedSlice(ObjectNode slice) {
    return EndpointSlice.from(slice);
  }
}
