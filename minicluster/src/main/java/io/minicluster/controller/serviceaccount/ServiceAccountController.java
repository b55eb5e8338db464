package io.minicluster.controller.serviceaccount;

import static java.util.Objects.requireNonNull;

import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Namespace;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.client.Client;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.json.Json;
import java.util.List;

/**
 * The service account controller (pkg/controller/serviceaccount): every active namespace has a {@code default}
 * ServiceAccount; it is recreated when deleted. Keys are namespace names.
 */
public final class ServiceAccountController implements ControllerLoop {
  static final String DEFAULT = "default";

  private final Client client;
  private final Informer<Namespace> namespaces;
  /** Only whether a namespace has its default account matters: the metadata view is enough. */
  private final Informer<ObjectMeta> serviceAccounts;

  public ServiceAccountController(Client client, SharedInformers informers, WorkQueue queue) {
    this.client = requireNonNull(client, "client is null");
    this.namespaces = informers.informer(Kinds.NAMESPACES);
    this.serviceAccounts = informers.informer(Kinds.metadata(ResourceTypes.SERVICE_ACCOUNTS));
    namespaces.addHandler(Handlers.enqueueing(namespace -> queue.add(namespace.metadata().name())));
    serviceAccounts.addHandler(Handlers.enqueueing(account -> queue.add(account.namespace())));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(namespaces, serviceAccounts);
  }

  @Override
  public long reconcile(String namespaceName) {
    boolean active = namespaces.get(null, namespaceName)
        .filter(Namespace::active)
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
