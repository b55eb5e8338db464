package io.minicluster.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.json.Json;
import io.minicluster.pki.ServiceAccountKey;
import io.minicluster.registry.serviceaccount.TokenRequestOperation;
import io.minicluster.serviceaccount.ServiceAccountTokens;
import io.minicluster.serviceaccount.TokenClaims;
import io.minicluster.testing.InProcessApi;
import io.minicluster.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TokenRequests answered by the registry's token subresource, and their tokens authenticated. */
class ServiceAccountTokenAuthenticatorTest {
  private static final String ISSUER = ServiceAccountTokens.DEFAULT_ISSUER;
  @TempDir
  Path directory;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
  private InProcessApi api;
  private ServiceAccountTokens tokens;
  private TokenRequestOperation requests;
  private ServiceAccountTokenAuthenticator authenticator;
  private ObjectNode account;

  @BeforeEach
  void setUp() throws Exception {
    api = InProcessApi.open(directory.resolve("store"), clock);
    tokens = new ServiceAccountTokens(ServiceAccountKey.loadOrCreate(directory.resolve("pki")), ISSUER);
    requests = new TokenRequestOperation(api.registries(), tokens, clock);
    authenticator = new ServiceAccountTokenAuthenticator(tokens,
        (type, namespace, name) -> api.registries().get(type).find(namespace, name), clock);
    api.client().create(ResourceTypes.NAMESPACES, null, Json.parseObject("{\"metadata\":{\"name\":\"team\"}}"));
    account = api.client().create(ResourceTypes.SERVICE_ACCOUNTS, "team",
        Json.parseObject("{\"metadata\":{\"name\":\"default\"}}"));
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  private String token(String request) {
    return requests.create("team", "default", Json.parseObject(request)).at("/status/token").asText();
  }

  private ObjectNode createPod(String name) {
    return api.client().create(ResourceTypes.PODS, "team", Json.parseObject("{\"metadata\":{\"name\":\"" + name
        + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}"));
  }

  @Test
  void aRequestedTokenAuthenticatesAsTheServiceAccount() {
    ObjectNode answer = requests.create("team", "default", Json.parseObject("{\"spec\":{}}"));

    UserInfo user = authenticator.authenticate(answer.at("/status/token").asText()).orElseThrow();

    assertThat(answer.at("/spec/expirationSeconds").asLong()).isEqualTo(3600);
    assertThat(answer.at("/spec/audiences/0").asText()).isEqualTo(ISSUER);
    assertThat(answer.at("/status/expirationTimestamp").asText()).isEqualTo("2026-12-07T11:00:00Z");
    assertThat(user.name()).isEqualTo("system:serviceaccount:team:default");
    assertThat(user.uid()).isEqualTo(Meta.uid(account));
    assertThat(user.groups()).containsExactly("system:serviceaccounts", "system:serviceaccounts:team");
    assertThat(user.extra()).containsOnlyKeys("authentication.kubernetes.io/credential-id");
  }

  @Test
  void aPodBoundTokenNamesThePodAndDiesWithIt() {
    ObjectNode pod = createPod("web");
    String token = token("{\"spec\":{\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"web\"}}}");

    UserInfo user = authenticator.authenticate(token).orElseThrow();
    assertThat(user.extra()).containsEntry("authentication.kubernetes.io/pod-name", List.of("web"))
        .containsEntry("authentication.kubernetes.io/pod-uid", List.of(Meta.uid(pod)));

    api.client().delete(ResourceTypes.PODS, "team", "web", DeleteOptions.DEFAULT);
    createPod("web"); // the same name, another uid
    assertThat(authenticator.authenticate(token)).isEmpty();
  }

  @Test
  void expiredTokensAndOtherAudiencesAreRefused() {
    String token = token("{\"spec\":{\"expirationSeconds\":600}}");
    String vault = token("{\"spec\":{\"audiences\":[\"vault\"]}}");

    assertThat(authenticator.authenticate(vault)).isEmpty();
    assertThat(authenticator.authenticate(token)).isPresent();
    clock.advance(Duration.ofSeconds(661));
    assertThat(authenticator.authenticate(token)).isEmpty();
  }

  @Test
  void aRecreatedServiceAccountInvalidatesItsTokens() {
    String token = token("{\"spec\":{}}");
    api.client().delete(ResourceTypes.SERVICE_ACCOUNTS, "team", "default", DeleteOptions.DEFAULT);

    assertThat(authenticator.authenticate(token)).isEmpty();
    api.client().create(ResourceTypes.SERVICE_ACCOUNTS, "team", Json.parseObject("{\"metadata\":{\"name\":\"default\"}}"));
    assertThat(authenticator.authenticate(token)).isEmpty();
  }

  @Test
  void requestsAreValidatedAsTheApiserverDoes() {
    ApiException tooShort = catchThrowableOfType(() -> token("{\"spec\":{\"expirationSeconds\":60}}"),
        ApiException.class);
    ApiException missing = catchThrowableOfType(() -> requests.create("team", "builder",
        Json.parseObject("{}")), ApiException.class);
    createPod("web");
    ApiException otherKind = catchThrowableOfType(() -> token(
        "{\"spec\":{\"boundObjectRef\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"web\"}}}"),
        ApiException.class);
    ApiException otherUid = catchThrowableOfType(() -> token(
        "{\"spec\":{\"boundObjectRef\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"name\":\"web\",\"uid\":\"x\"}}}"),
        ApiException.class);

    assertThat(tooShort.code()).isEqualTo(422);
    assertThat(tooShort.getMessage()).isEqualTo("TokenRequest.authentication.k8s.io \"default\" is invalid: "
        + "spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes");
    assertThat(missing.getMessage()).isEqualTo("serviceaccounts \"builder\" not found");
    assertThat(otherKind.getMessage()).isEqualTo("cannot bind token to object of type apps/v1, Kind=Deployment");
    assertThat(otherUid.code()).isEqualTo(409);
  }

  @Test
  void legacyTokensLiveWhileTheirSecretHoldsThem() {
    String token = tokens.sign(TokenClaims.legacy("team",
        new TokenClaims.Ref("default", Meta.uid(account)), "default-token"));
    assertThat(authenticator.authenticate(token)).isEmpty();

    api.client().create(ResourceTypes.SECRETS, "team", Json.parseObject("{\"metadata\":{\"name\":\"default-token\","
        + "\"annotations\":{\"kubernetes.io/service-account.name\":\"default\"}},"
        + "\"type\":\"kubernetes.io/service-account-token\",\"data\":{\"token\":\""
        + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)) + "\"}}"));
    assertThat(authenticator.authenticate(token).map(UserInfo::name))
        .contains("system:serviceaccount:team:default");

    api.client().delete(ResourceTypes.SECRETS, "team", "default-token", DeleteOptions.DEFAULT);
    assertThat(authenticator.authenticate(token)).isEmpty();
  }

  @Test
  void theKeyIsKeptAcrossRestarts() throws Exception {
    String token = token("{\"spec\":{}}");
    ServiceAccountTokens reloaded = new ServiceAccountTokens(ServiceAccountKey.loadOrCreate(directory.resolve("pki")),
        ISSUER);

    assertThat(reloaded.verify(token)).isPresent();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("pki")
        .resolve("sa.key")))).isEqualTo("rw-------");
  }
}
