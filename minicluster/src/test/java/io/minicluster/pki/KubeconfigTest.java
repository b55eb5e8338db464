package io.minicluster.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class KubeconfigTest {
  @TempDir
  Path temporary;

  @SuppressWarnings("unchecked")
  @Test
  void writesAStandaloneKubeconfigWithPrivateMode() throws Exception {
    Pki pki = Pki.loadOrCreate(temporary.resolve("data"), List.of(), List.of());
    Path file = temporary.resolve("home/.kube/config");
    pki.writeAdminKubeconfig(file, "https://127.0.0.1:6443");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    Map<String, Object> config = new Yaml().load(Files.readString(file));
    assertThat(config).containsEntry("apiVersion", "v1").containsEntry("kind", "Config")
        .containsEntry("current-context", "minicluster");

    Map<String, Object> cluster = (Map<String, Object>) ((List<Map<String, Object>>) config.get("clusters")).get(0);
    assertThat(cluster).containsEntry("name", "minicluster");
    Map<String, Object> clusterBody = (Map<String, Object>) cluster.get("cluster");
    assertThat(clusterBody).containsEntry("server", "https://127.0.0.1:6443");
    assertThat(decode(clusterBody.get("certificate-authority-data"))).isEqualTo(pki.caCertificatePem());

    Map<String, Object> user = (Map<String, Object>) ((List<Map<String, Object>>) config.get("users")).get(0);
    assertThat(user).containsEntry("name", "minicluster-admin");
    Map<String, Object> userBody = (Map<String, Object>) user.get("user");
    assertThat(decode(userBody.get("client-certificate-data"))).isEqualTo(pki.adminCertificatePem());
    assertThat(decode(userBody.get("client-key-data"))).isEqualTo(pki.adminKeyPem());
    assertThat(userBody).doesNotContainKey("token");

    Map<String, Object> context = (Map<String, Object>) ((List<Map<String, Object>>) config.get("contexts")).get(0);
    assertThat(context).containsEntry("name", "minicluster");
    assertThat((Map<String, Object>) context.get("context")).containsEntry("cluster", "minicluster")
        .containsEntry("user", "minicluster-admin");
  }

  @SuppressWarnings("unchecked")
  @Test
  void tokenOnlyUser() {
    String yaml = Kubeconfig.render("https://localhost:1", "-----BEGIN CERTIFICATE-----\n", "abc_DEF-1", null,
        null);
    Map<String, Object> config = new Yaml().load(yaml);
    Map<String, Object> user = (Map<String, Object>) ((List<Map<String, Object>>) config.get("users")).get(0);
    assertThat((Map<String, Object>) user.get("user")).containsOnlyKeys("token").containsEntry("token", "abc_DEF-1");
  }

  @Test
  void rejectsIncompleteCredentials() {
    assertThatThrownBy(() -> Kubeconfig.render("https://x", "ca", null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Kubeconfig.render("https://x", "ca", null, "cert", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Kubeconfig.render("https://x", "ca", "a b", null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String decode(Object base64) {
    return new String(Base64.getDecoder().decode((String) base64), StandardCharsets.US_ASCII);
  }
}
