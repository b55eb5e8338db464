package io.minicluster.controller.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokensControllerTest extends ClusterTest {
  private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  private void run() {
    cluster.run("serviceaccount-token", 1, queue -> new TokensController(client, cluster.informers(), queue,
        (namespace, account, uid, secret) -> "token-of-" + namespace + "-" + account + "-" + uid + "-" + secret,
        () -> PEM));
  }

  private void createTokenSecret(String name, String account) {
    client.create(ResourceTypes.SECRETS, "team", Json.parseObject("{\"metadata\":{\"name\":\"" + name
        + "\",\"annotations\":{\"kubernetes.io/service-account.name\":\"" + account + "\"}},"
        + "\"type\":\"kubernetes.io/service-account-token\"}"));
  }

  private static String decoded(ObjectNode secret, String key) {
    return new String(Base64.getDecoder().decode(secret.path("data").path(key).asText()), StandardCharsets.UTF_8);
  }

  @Test
  void aTokenSecretIsFilledForItsAccountAndGoesWithIt() {
    cluster.createNamespace("team");
    ObjectNode account = client.create(ResourceTypes.SERVICE_ACCOUNTS, "team",
        Json.parseObject("{\"metadata\":{\"name\":\"builder\"}}"));
    run();
    createTokenSecret("builder-token", "builder");
    client.create(ResourceTypes.SECRETS, "team", Json.parseObject("{\"metadata\":{\"name\":\"plain\"},"
        + "\"data\":{\"x\":\"eA==\"}}"));

    Eventually.assertThat(() -> assertThat(client.get(ResourceTypes.SECRETS, "team", "builder-token")
        .path("data").has("token")).isTrue());
    ObjectNode secret = client.get(ResourceTypes.SECRETS, "team", "builder-token");
    String uid = Meta.uid(account);
    assertThat(decoded(secret, "token")).isEqualTo("token-of-team-builder-" + uid + "-builder-token");
    assertThat(decoded(secret, "ca.crt")).isEqualTo(PEM);
    assertThat(decoded(secret, "namespace")).isEqualTo("team");
    assertThat(secret.at("/metadata/annotations").get(TokensController.UID_ANNOTATION).asText()).isEqualTo(uid);
    assertThat(client.get(ResourceTypes.SECRETS, "team", "plain").path("data").size()).isEqualTo(1);

    client.delete(ResourceTypes.SERVICE_ACCOUNTS, "team", "builder", DeleteOptions.DEFAULT);
    Eventually.assertThat(() -> assertThat(client.find(ResourceTypes.SECRETS, "team", "builder-token")).isEmpty());
    assertThat(client.find(ResourceTypes.SECRETS, "team", "plain")).isPresent();
  }

  @Test
  void aTokenSecretOfAMissingAccountIsDeleted() {
    cluster.createNamespace("team");
    run();
    createTokenSecret("ghost-token", "ghost");

    Eventually.assertThat(() -> assertThat(client.find(ResourceTypes.SECRETS, "team", "ghost-token")).isEmpty());
  }
}
