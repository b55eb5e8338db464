package io.minicluster.controller.serviceaccount;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Secret;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ObjectMeta;
import io.minicluster.client.Client;
import io.minicluster.client.Handlers;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.controller.enqueue.Keys;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The tokens controller (pkg/controller/serviceaccount tokens_controller.go) for legacy token secrets: a Secret of
 * type {@value #TOKEN_TYPE} naming a service account in its {@value #NAME_ANNOTATION} annotation gets
 * {@code token} (a legacy token of that account), {@code ca.crt} and {@code namespace} when missing, and the
 * account's uid in {@value #UID_ANNOTATION}; a secret whose account is gone (or has another uid) is deleted. Keys are
 * secret keys ({@code namespace/name}).
 */
public final class TokensController implements ControllerLoop {
  public static final String TOKEN_TYPE = "kubernetes.io/service-account-token";
  public static final String NAME_ANNOTATION = "kubernetes.io/service-account.name";
  public static final String UID_ANNOTATION = "kubernetes.io/service-account.uid";

  /** Signs legacy tokens (the daemon's service-account key). */
  public interface LegacyTokens {
    String generate(String namespace, String serviceAccountName, String serviceAccountUid, String secretName);
  }

  private final Client client;
  private final LegacyTokens tokens;
  private final Supplier<String> caCertificate;
  private final Informer<Secret> secrets;
  private final Informer<ObjectMeta> serviceAccounts;

  /** @param caCertificate the CA's PEM, for {@code ca.crt} */
  public TokensController(Client client, SharedInformers informers, WorkQueue queue, LegacyTokens tokens,
      Supplier<String> caCertificate) {
    this.client = requireNonNull(client, "client is null");
    this.tokens = requireNonNull(tokens, "tokens is null");
    this.caCertificate = requireNonNull(caCertificate, "caCertificate is null");
    this.secrets = informers.informer(Kinds.SECRETS);
    this.serviceAccounts = informers.informer(Kinds.metadata(ResourceTypes.SERVICE_ACCOUNTS));
    secrets.addHandler(Handlers.enqueueing(secret -> {
      if (TOKEN_TYPE.equals(secret.type())) {
        queue.add(Keys.of(secret.metadata()));
      }
    }));
    // an account's change or deletion concerns its token secrets
    serviceAccounts.addHandler(Handlers.enqueueing(account -> secrets.list(account.namespace()).stream()
        .filter(secret -> TOKEN_TYPE.equals(secret.type()))
        .filter(secret -> account.name().equals(secret.metadata().annotations().get(NAME_ANNOTATION)))
        .forEach(secret -> queue.add(Keys.of(secret.metadata())))));
  }

  @Override
  public List<Informer<?>> informers() {
    return List.of(secrets, serviceAccounts);
  }

  @Override
  public long reconcile(String key) {
    String namespace = Keys.namespace(key);
    String name = Keys.name(key);
    Optional<Secret> cached = secrets.get(namespace, name);
    if (cached.isEmpty() || !TOKEN_TYPE.equals(cached.get().type()) || cached.get().metadata().isDeleting()) {
      return 0;
    }
    Secret secret = cached.get();
    String accountName = secret.metadata().annotations().getOrDefault(NAME_ANNOTATION, "");
    if (accountName.isEmpty()) {
      return 0;
    }
    String wantedUid = secret.metadata().annotations().getOrDefault(UID_ANNOTATION, "");
    // the cache may lag behind a new account: ask the API before deleting
    Optional<String> accountUid = serviceAccounts.get(namespace, accountName).map(ObjectMeta::uid)
        .filter(uid -> wantedUid.isEmpty() || uid.equals(wantedUid))
        .or(() -> client.find(ResourceTypes.SERVICE_ACCOUNTS, namespace, accountName)
            .map(account -> Json.text(account.get("metadata"), "uid"))
            .filter(uid -> wantedUid.isEmpty() || uid.equals(wantedUid)));
    try {
      if (accountUid.isEmpty()) {
        client.deleteIfExists(ResourceTypes.SECRETS, namespace, name, DeleteOptions.DEFAULT);
        return 0;
      }
      boolean complete = present(secret, "token") && present(secret, "ca.crt") && present(secret, "namespace")
          && accountUid.get().equals(wantedUid);
      if (!complete) {
        String uid = accountUid.get();
        client.modify(ResourceTypes.SECRETS, namespace, name, live -> {
          Json.with(live, "metadata", "annotations").put(UID_ANNOTATION, uid);
          ObjectNode data = Json.with(live, "data");
          if (Json.text(data, "token").isEmpty()) {
            data.put("token", base64(tokens.generate(namespace, accountName, uid, name)));
          }
          if (Json.text(data, "ca.crt").isEmpty()) {
            data.put("ca.crt", base64(caCertificate.get()));
          }
          if (Json.text(data, "namespace").isEmpty()) {
            data.put("namespace", base64(namespace));
          }
          return live;
        });
      }
    } catch (ApiException e) {
      if (e.code() != 404 && e.code() != 409) {
        throw e;
      }
    }
    return 0;
  }

  private static boolean present(Secret secret, String key) {
    String value = secret.data().get(key);
    return value != null && !value.isEmpty();
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
