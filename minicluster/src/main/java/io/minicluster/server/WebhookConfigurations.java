package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Kind;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.webhook.HttpsWebhookClient;
import io.minicluster.apiserver.webhook.WebhookClient;
import io.minicluster.client.Informer;
import io.minicluster.client.SharedInformers;
import io.minicluster.json.Json;
import io.minicluster.registry.Registries;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the webhook admission plugins read: the webhook configurations from the shared informers (as the plugins'
 * listers), and the ready endpoint of a webhook's service from the registries.
 */
final class WebhookConfigurations {
  private static final Kind<ObjectNode> MUTATING =
      new Kind<>(ResourceTypes.MUTATING_WEBHOOK_CONFIGURATIONS, Function.identity());
  private static final Kind<ObjectNode> VALIDATING =
      new Kind<>(ResourceTypes.VALIDATING_WEBHOOK_CONFIGURATIONS, Function.identity());

  private final Informer<ObjectNode> mutating;
  private final Informer<ObjectNode> validating;

  WebhookConfigurations(SharedInformers informers) {
    requireNonNull(informers, "informers is null");
    mutating = informers.informer(MUTATING);
    validating = informers.informer(VALIDATING);
  }

  void start() {
    mutating.start();
    validating.start();
  }

  List<ObjectNode> mutating() {
    return mutating.list();
  }

  List<ObjectNode> validating() {
    return validating.list();
  }

  /** A service's port at one of its ready endpoints (the address and the port of the endpoints' matching port). */
  static HttpsWebhookClient.ServiceResolver services(Supplier<Registries> registries) {
    requireNonNull(registries, "registries is null");
    return (namespace, name, port) -> {
      ObjectNode service = registries.get().get(ResourceTypes.SERVICES).find(namespace, name)
          .orElseThrow(() -> new WebhookClient.CallFailure("service \"" + name + "\" not found"));
      String portName = null;
      for (JsonNode servicePort : Json.elements(Json.get(service, "spec"), "ports")) {
        if (Json.number(servicePort, "port", 0) == port) {
          portName = Json.text(servicePort, "name");
        }
      }
      if (portName == null) {
        throw new WebhookClient.CallFailure("service \"" + name + "\" has no port " + port);
      }
      ObjectNode endpoints = registries.get().get(ResourceTypes.ENDPOINTS).find(namespace, name).orElse(null);
      for (JsonNode subset : Json.elements(endpoints, "subsets")) {
        for (JsonNode endpointPort : Json.elements(subset, "ports")) {
          List<JsonNode> addresses = Json.elements(subset, "addresses");
          if (Json.text(endpointPort, "name").equals(portName) && !addresses.isEmpty()) {
            try {
              return new InetSocketAddress(InetAddress.getByName(Json.text(addresses.get(0), "ip")),
                  (int) Json.number(endpointPort, "port", port));
            } catch (UnknownHostException e) {
              throw new WebhookClient.CallFailure(e.getMessage());
            }
          }
        }
      }
      throw new WebhookClient.CallFailure("service \"" + namespace + "/" + name + "\" has no ready endpoints");
    };
  }
}
