package io.minicluster.controller.rootcacert;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.ConfigMap;
import io.minicluster.api.core.Namespace;
import io.minicluster.client.Client;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.json.Json;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The root CA certificate publisher (pkg/controller/certificates/rootcacertpublisher): every active namespace has
 * the ConfigMap {@value #NAME} whose {@code ca.crt} is the cluster CA, which the service-account volumes of pods
 * project; it is recreated when deleted and corrected when changed. Keys are namespace names.
 */
public final class RootCaCertPublisher implements ControllerLoop {
  public static final String NAME = "kube-root-ca.crt";
  static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
  static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using "
      + "internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed "
      + "across distributions of Kubernetes clusters.";

  private final Client client;
  private final Supplier<String> caCertificate;
  private final Informer<Namespace> namespaces;
  private final Informer<ConfigMap> configMaps;

  /** @param caCertificate the CA's PEM, read at every reconcile (it changes when the CA is re-created) */
  public RootCaCertPublisher(Client client, SharedInformers informers, WorkQueue queue,
      Supplier<String> caCertificate) {
    this.client = requireNonNull(client, "client is null");
    this.caCertificate = requireNonNull(caCertificate, "caCertificate is null");
    this.namespaces = informers.informer(Kinds.NAMESPACES);
    this.configMaps = informers.informer(Kinds.CONFIG_MAPS);
    namespaces.addHandler(Handlers.enqueueing(namespace -> queue.add(namespace.metadata().name())));
    configMaps.addHandler(Handlers.enqueueing(configMap -> {
      if (NAME.equals(configMap.metadata().name())) {
        queue.add(configMap.metadata().namespace());
      }
    }));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(namespaces, configMaps);
  }

  @Override
  public long reconcile(String namespaceName) {
    boolean active = namespaces.get(null, namespaceName)
        .filter(Namespace::active)
        .isPresent();
    if (!active) {
      return 0;
    }
    String pem = caCertificate.get();
    Optional<ConfigMap> current = configMaps.get(namespaceName, NAME);
    try {
      if (current.isEmpty()) {
        ObjectNode configMap = Json.object();
        ObjectNode metadata = configMap.putObject("metadata");
        metadata.put("name", NAME);
        metadata.putObject("annotations").put(DESCRIPTION_ANNOTATION, DESCRIPTION);
        configMap.putObject("data").put("ca.crt", pem);
        client.create(ResourceTypes.CONFIG_MAPS, namespaceName, configMap);
      } else if (!pem.equals(current.get().data().get("ca.crt")) || current.get().data().size() != 1
          || !DESCRIPTION.equals(current.get().metadata().annotations().get(DESCRIPTION_ANNOTATION))) {
        client.modify(ResourceTypes.CONFIG_MAPS, namespaceName, NAME, configMap -> {
          Json.with(configMap, "metadata", "annotations").put(DESCRIPTION_ANNOTATION, DESCRIPTION);
          configMap.remove("binaryData");
          configMap.putObject("data").put("ca.crt", pem);
          return configMap;
        });
      }
    } catch (ApiException e) {
      // 409: the cache lags; 403/404: the namespace is terminating or gone (as the service account controller)
      if (e.code() != 409 && e.code() != 403 && e.code() != 404) {
        throw e;
      }
    }
    return 0;
  }
}
