package io.minicluster.controller.serviceaccount;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Kind;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.client.Client;
import io.minicluster.client.Informer;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.enqueue.Handlers;
import io.minicluster.json.Json;
import java.util.List;

/**
 * The service account controller (pkg/controller/serviceaccount): every active namespace has a {@code default}
 * ServiceAccount; it is recreated when deleted. Keys are namespace names.
 */
public final class ServiceAccountController implements ControllerLoop {
  static final String DEFAULT = "default";

  private final Client client;
  private final Informer<ObjectNode> namespaces;
  private final Informer<ObjectNode> serviceAccounts;

  public ServiceAccountController(Client client, SharedInformers informers, WorkQueue queue) {
    this.client = requireNonNull(client, "client is null");
    this.namespaces = informers.informer(Kind.tree(ResourceTypes.NAMESPACES));
    this.serviceAccounts = informers.informer(Kind.tree(ResourceTypes.SERVICE_ACCOUNTS));
    namespaces.addHandler(Handlers.enqueueing(namespace -> queue.add(Meta.name(namespace))));
    serviceAccounts.addHandler(Handlers.enqueueing(account -> queue.add(Meta.namespace(account))));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(namespaces, serviceAccounts);
  }

  @Override
  public long reconcile(String namespaceName) {
    boolean active = namespaces.get(null, namespaceName)
        .filter(namespace -> !Meta.deleting(namespace))
        .filter(namespace -> !"Terminating".equals(Json.textOrNull(namespace, "status", "phase")))
        .isPresent();
    if (!active || serviceAccounts.get(namespaceName, DEFAULT).isPresent()) {
      return 0;
    }
    try {
      client.create(ResourceTypes.SERVICE_ACCOUNTS, namespaceName,
          Json.parseObject("{\"metadata\":{\"name\":\"" + DEFAULT + "\"}}"));
    } catch (ApiException e) {
      // 409: already there (the cache lags); 403/404: the namespace is terminating or gone
      if (e.code() != 409 && e.code() != 403 && e.code() != 404) {
        throw e;
      }
    }
    return 0;
  }
}
