package io.minicluster.registry.storageclass;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class StorageClassStrategyTest {
  private final StorageClassStrategy strategy = new StorageClassStrategy();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private ObjectNode created(String fields) {
    ObjectNode storageClass = json("{'metadata':{'name':'local-path'}" + fields + "}");
    strategy.applyDefaults(storageClass);
    strategy.prepareForCreate(storageClass);
    return storageClass;
  }

  @Test
  void defaultsAndTheDefaultAnnotation() {
    ObjectNode storageClass = created(",'provisioner':'rancher.io/local-path'");

    assertThat(storageClass.get("reclaimPolicy").asText()).isEqualTo("Delete");
    assertThat(storageClass.get("volumeBindingMode").asText()).isEqualTo("Immediate");
    assertThat(strategy.validate(storageClass)).isEmpty();
    assertThat(StorageClassStrategy.isDefault(storageClass)).isFalse();
    assertThat(StorageClassStrategy.isDefault(json("{'metadata':{'annotations':"
        + "{'storageclass.kubernetes.io/is-default-class':'true'}}}"))).isTrue();
  }

  @Test
  void validationErrors() {
    assertThat(strategy.validate(created(",'reclaimPolicy':'Recycle','volumeBindingMode':'Later'")))
        .extracting(FieldError::message).containsExactly("provisioner: Required value",
            "reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"",
            "volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", "
                + "\"WaitForFirstConsumer\"");
  }

  @Test
  void provisionerParametersAndPoliciesAreFixed() {
    ObjectNode old = created(",'provisioner':'rancher.io/local-path','parameters':{'a':'1'}");
    ObjectNode updated = old.deepCopy().put("provisioner", "other").put("reclaimPolicy", "Retain")
        .put("volumeBindingMode", "WaitForFirstConsumer").put("allowVolumeExpansion", true);
    ((ObjectNode) updated.get("parameters")).put("a", "2");

    assertThat(strategy.validateUpdate(updated, old)).extracting(FieldError::message).containsExactly(
        "parameters: Forbidden: updates to parameters are forbidden.",
        "provisioner: Forbidden: updates to provisioner are forbidden.",
        "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.",
        "volumeBindingMode: Invalid value: \"WaitForFirstConsumer\": field is immutable");
    ObjectNode expandable = old.deepCopy().put("allowVolumeExpansion", true);
    assertThat(strategy.validateUpdate(expandable, old)).isEmpty();
  }
}
