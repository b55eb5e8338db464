package io.minicluster.registry.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.WriteOptions;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ServiceAccountAdmissionTest {
  private final Map<String, ObjectNode> accounts = Map.of(
      "ns/default", Json.parseObject("{\"metadata\":{\"name\":\"default\",\"namespace\":\"ns\"}}"),
      "ns/quiet", Json.parseObject("{\"metadata\":{\"name\":\"quiet\",\"namespace\":\"ns\"},"
          + "\"automountServiceAccountToken\":false,\"imagePullSecrets\":[{\"name\":\"registry\"}]}"));
  private final ServiceAccountAdmission admission = new ServiceAccountAdmission(
      (namespace, name) -> Optional.ofNullable(accounts.get(namespace + "/" + name)), new Random(1));

  private ObjectNode admit(String spec) {
    ObjectNode pod = Json.parseObject("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":" + spec + "}");
    admission.admitCreate(ResourceTypes.PODS, pod, WriteOptions.DEFAULT);
    return pod;
  }

  @Test
  void everyContainerMountsTheProjectedTokenVolume() {
    ObjectNode pod = admit("{\"initContainers\":[{\"name\":\"init\"}],\"containers\":[{\"name\":\"a\"},"
        + "{\"name\":\"b\",\"volumeMounts\":[{\"name\":\"own\",\"mountPath\":\"" + ServiceAccountAdmission.MOUNT_PATH
        + "\"}]}],\"volumes\":[{\"name\":\"own\",\"emptyDir\":{}}]}");

    ObjectNode volume = (ObjectNode) pod.at("/spec/volumes/1");
    String name = volume.get("name").asText();
    assertThat(pod.at("/spec/serviceAccountName").asText()).isEqualTo("default");
    assertThat(name).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
    assertThat(volume.at("/projected/sources/0/serviceAccountToken/expirationSeconds").asLong()).isEqualTo(3607);
    assertThat(volume.at("/projected/sources/0/serviceAccountToken/path").asText()).isEqualTo("token");
    assertThat(volume.at("/projected/sources/1/configMap/name").asText()).isEqualTo("kube-root-ca.crt");
    assertThat(volume.at("/projected/sources/1/configMap/items/0/key").asText()).isEqualTo("ca.crt");
    assertThat(volume.at("/projected/sources/2/downwardAPI/items/0/fieldRef/fieldPath").asText())
        .isEqualTo("metadata.namespace");
    assertThat(volume.at("/projected/defaultMode").asInt()).isEqualTo(420);
    for (String container : new String[] {"/spec/initContainers/0", "/spec/containers/0"}) {
      ObjectNode mount = (ObjectNode) pod.at(container + "/volumeMounts/0");
      assertThat(mount.get("name").asText()).isEqualTo(name);
      assertThat(mount.get("mountPath").asText()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
      assertThat(mount.get("readOnly").asBoolean()).isTrue();
    }
    assertThat(pod.at("/spec/containers/1/volumeMounts").size()).as("its own mount stays alone").isEqualTo(1);
  }

  @Test
  void automountFalseOnThePodOrItsAccountMountsNothing() {
    ObjectNode optedOut = admit("{\"automountServiceAccountToken\":false,\"containers\":[{\"name\":\"a\"}]}");
    ObjectNode quiet = admit("{\"serviceAccountName\":\"quiet\",\"containers\":[{\"name\":\"a\"}]}");
    ObjectNode optedIn = admit("{\"serviceAccountName\":\"quiet\",\"automountServiceAccountToken\":true,"
        + "\"containers\":[{\"name\":\"a\"}]}");

    assertThat(optedOut.at("/spec/volumes").isMissingNode()).isTrue();
    assertThat(quiet.at("/spec/volumes").isMissingNode()).isTrue();
    assertThat(quiet.at("/spec/imagePullSecrets/0/name").asText()).isEqualTo("registry");
    assertThat(optedIn.at("/spec/volumes/0/name").asText()).startsWith("kube-api-access-");
  }

  @Test
  void aMissingAccountIsForbiddenButTheDefaultMayLag() {
    ApiException missing = catchThrowableOfType(() -> admit("{\"serviceAccountName\":\"ghost\","
        + "\"containers\":[{\"name\":\"a\"}]}"), ApiException.class);
    ObjectNode lagging = Json.parseObject("{\"metadata\":{\"name\":\"p\",\"namespace\":\"new\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"a\"}]}}");
    admission.admitCreate(ResourceTypes.PODS, lagging, WriteOptions.DEFAULT);

    assertThat(missing.code()).isEqualTo(403);
    assertThat(missing.getMessage()).isEqualTo("pods \"p\" is forbidden: error looking up service account "
        + "ns/ghost: serviceaccount \"ghost\" not found");
    assertThat(lagging.at("/spec/volumes/0/name").asText()).startsWith("kube-api-access-");
  }
}
