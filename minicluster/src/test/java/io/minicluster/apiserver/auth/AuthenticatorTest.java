package io.minicluster.apiserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.pki.Pki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthenticatorTest {
  @TempDir
  static Path temporary;

  static Pki pki;
  static Pki otherPki;
  static Authenticator authenticator;
  static final UserInfo ADMIN = new UserInfo("minicluster-admin", List.of("system:masters"));

  @BeforeAll
  static void setUp() throws Exception {
    pki = Pki.loadOrCreate(temporary.resolve("one"), List.of(), List.of());
    otherPki = Pki.loadOrCreate(temporary.resolve("two"), List.of(), List.of());
    TokenAuthenticator serviceAccounts = token -> token.startsWith("sa-")
        ? Optional.of(new UserInfo("system:serviceaccount:default:" + token.substring(3),
            List.of("system:serviceaccounts")))
        : Optional.empty();
    authenticator = new Authenticator(pki.caCertificate(),
        List.of(StaticTokenAuthenticator.of(pki.adminToken(), ADMIN), serviceAccounts));
  }

  @Test
  void adminTokenAuthenticates() {
    Optional<UserInfo> user = authenticator.authenticate("Bearer " + pki.adminToken(), List.of());
    assertThat(user).contains(new UserInfo("minicluster-admin", List.of("system:masters", "system:authenticated")));
  }

  @Test
  void schemeIsCaseInsensitiveAndSurroundingSpaceIgnored() {
    assertThat(authenticator.authenticate("bearer " + pki.adminToken(), List.of())).isPresent();
    assertThat(authenticator.authenticate("  BEARER   " + pki.adminToken() + " ", List.of())).isPresent();
  }

  @ParameterizedTest
  @CsvSource(nullValues = "NULL", value = {
      "NULL", "''", "Bearer", "'Bearer '", "Basic YWRtaW46YWRtaW4=", "Bearer wrong", "Token abc"})
  void badOrMissingCredentialsAreRejected(String authorization) {
    assertThat(authenticator.authenticate(authorization, List.of())).isEmpty();
  }

  @Test
  void prefixesAndExtensionsOfTheTokenAreRejected() {
    String token = pki.adminToken();
    assertThat(authenticator.authenticate("Bearer " + token.substring(0, token.length() - 1), List.of())).isEmpty();
    assertThat(authenticator.authenticate("Bearer " + token + "a", List.of())).isEmpty();
    assertThat(authenticator.authenticate("Bearer " + token + " extra", List.of())).isEmpty();
  }

  @Test
  void laterTokenAuthenticatorsAreConsulted() {
    assertThat(authenticator.authenticate("Bearer sa-builder", List.of()))
        .contains(new UserInfo("system:serviceaccount:default:builder",
            List.of("system:serviceaccounts", "system:authenticated")));
  }

  @Test
  void clientCertificateMapsCommonNameAndOrganizations() {
    Pki.IssuedCertificate jane = pki.issueClientCertificate("jane", List.of("dev", "ops"), Duration.ofDays(1));
    assertThat(authenticator.authenticate(null, List.of(jane.certificate(), pki.caCertificate())))
        .contains(new UserInfo("jane", List.of("dev", "ops", "system:authenticated")));
    assertThat(authenticator.authenticate(null, List.of(pki.adminCertificate())))
        .contains(new UserInfo("minicluster-admin", List.of("system:masters", "system:authenticated")));
  }

  @Test
  void certificateWinsOverABadToken() {
    assertThat(authenticator.authenticate("Bearer wrong", List.of(pki.adminCertificate()))).isPresent();
  }

  @Test
  void certificateFromAnotherCaIsIgnoredButATokenStillWorks() {
    assertThat(authenticator.authenticate(null, List.of(otherPki.adminCertificate()))).isEmpty();
    assertThat(authenticator.authenticate("Bearer " + pki.adminToken(), List.of(otherPki.adminCertificate())))
        .isPresent();
  }

  @Test
  void withoutCaNoCertificateIsAccepted() {
    Authenticator tokensOnly = new Authenticator(null, List.of(StaticTokenAuthenticator.of("t0ken", ADMIN)));
    assertThat(tokensOnly.authenticate(null, List.of(pki.adminCertificate()))).isEmpty();
    assertThat(tokensOnly.authenticate("Bearer t0ken", List.of())).isPresent();
  }

  @Test
  void staticTokenAuthenticatorWithSeveralTokens() {
    StaticTokenAuthenticator tokens = new StaticTokenAuthenticator(Map.of(
        "aaa", new UserInfo("a", List.of()), "bbb", new UserInfo("b", List.of("g"))));
    assertThat(tokens.authenticate("bbb")).contains(new UserInfo("b", List.of("g")));
    assertThat(tokens.authenticate("aaa")).contains(new UserInfo("a", List.of()));
    assertThat(tokens.authenticate("ccc")).isEmpty();
    assertThat(tokens.authenticate("")).isEmpty();
    assertThat(tokens.authenticate(null)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
      "/healthz, true", "/healthz/ping, true", "/livez, true", "/livez/etcd, true", "/readyz, true",
      "/readyz/ping, true", "/version, true", "/version/, true", "/version?timeout=32s, true",
      "/readyz?verbose, true",
      "/, false", "/api, false", "/apis, false", "/healthzz, false", "/versions, false", "/openapi/v2, false",
      "/api/v1/namespaces/default/secrets, false", "/healthz/../api/v1/secrets, false",
      "/version/%2e%2e/api, false", "/readyz/./x, false", "'', false"})
  void publicPaths(String path, boolean expected) {
    assertThat(Authenticator.isPublicPath(path)).isEqualTo(expected);
  }

  @Test
  void nullPathIsNotPublic() {
    assertThat(Authenticator.isPublicPath(null)).isFalse();
  }

  @Test
  void peerCertificatesOfNoSessionIsEmpty() {
    assertThat(Authenticator.peerCertificates(null)).isEmpty();
  }
}
