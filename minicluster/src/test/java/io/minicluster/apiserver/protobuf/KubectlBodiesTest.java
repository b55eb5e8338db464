package io.minicluster.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Bodies captured on loopback from real kubectl 1.35.2 ({@code kubectl create ...}, {@code auth can-i}) and helm 4.1.4
 * ({@code install}); the expected JSON is what the same kubectl prints with {@code --dry-run=client -o json}.
 */
class KubectlBodiesTest {

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = KubectlBodiesTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static void assertDecodes(String fixture, String expectedJson) throws IOException {
    byte[] body = fixture(fixture);
    assertThat(ProtobufCodec.hasMagic(body)).isTrue();
    ObjectNode decoded = ProtobufCodec.decode(body);
    assertThat(decoded).isEqualTo(Json.parseObject(expectedJson));
  }

  @Test
  void createDeploymentWithZeroReplicasAndPort() throws IOException {
    assertDecodes("kubectl-create-deployment.pb", """
        {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","labels":{"app":"web"}},
         "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},
           "template":{"metadata":{"labels":{"app":"web"}},
             "spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":80}],"resources":{}}]}},
           "strategy":{}},
         "status":{}}
        """);
  }

  @Test
  void createSecretGeneric() throws IOException {
    assertDecodes("kubectl-create-secret.pb", """
        {"kind":"Secret","apiVersion":"v1","metadata":{"name":"s1"},"data":{"a":"Yg==","pw":"c2VjcmV0"}}
        """);
  }

  @Test
  void createServiceNodePort() throws IOException {
    assertDecodes("kubectl-create-service-nodeport.pb", """
        {"kind":"Service","apiVersion":"v1","metadata":{"name":"web","labels":{"app":"web"}},
         "spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080}],"selector":{"app":"web"},
           "type":"NodePort"},
         "status":{"loadBalancer":{}}}
        """);
  }

  @Test
  void createJob() throws IOException {
    assertDecodes("kubectl-create-job.pb", """
        {"kind":"Job","apiVersion":"batch/v1","metadata":{"name":"j1"},
         "spec":{"template":{"metadata":{},"spec":{"containers":[{"name":"j1","image":"busybox",
           "command":["echo","hi"],"resources":{}}],"restartPolicy":"Never"}}},
         "status":{}}
        """);
  }

  @Test
  void authCanI() throws IOException {
    assertDecodes("kubectl-auth-can-i.pb", """
        {"kind":"SelfSubjectAccessReview","apiVersion":"authorization.k8s.io/v1","metadata":{},
         "spec":{"resourceAttributes":{"namespace":"default","verb":"create","resource":"pods"}},
         "status":{"allowed":false}}
        """);
  }

  @Test
  void helmReleaseSecret() throws IOException {
    ObjectNode secret = ProtobufCodec.decode(fixture("helm-install-release-secret.pb"));

    assertThat(secret.get("kind").asText()).isEqualTo("Secret");
    assertThat(secret.at("/metadata/name").asText()).isEqualTo("sh.helm.release.v1.demo.v1");
    assertThat(secret.at("/metadata/labels")).isEqualTo(Json.parseObject("""
        {"createdAt":"1795303913","name":"demo","owner":"helm","status":"pending-install","version":"1"}
        """));
    assertThat(secret.get("type").asText()).isEqualTo("helm.sh/release.v1");
    // data values are base64 of the bytes; helm's bytes are themselves base64 of gzip ("H4sI...")
    byte[] release = Base64.getDecoder().decode(secret.at("/data/release").asText());
    assertThat(new String(release, StandardCharsets.US_ASCII)).startsWith("H4sI");
  }
}
