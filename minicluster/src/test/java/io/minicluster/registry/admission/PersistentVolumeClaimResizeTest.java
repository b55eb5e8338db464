package io.minicluster.registry.admission;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.AdmissionRequest;
import io.minicluster.registry.AdmissionRequest.Operation;
import io.minicluster.registry.Requester;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PersistentVolumeClaimResizeTest {
  private final PersistentVolumeClaimResize admission = new PersistentVolumeClaimResize(name -> Optional.ofNullable(
      Map.of("grow", Json.parseObject("{\"metadata\":{\"name\":\"grow\"},\"allowVolumeExpansion\":true}"),
          "fixed", Json.parseObject("{\"metadata\":{\"name\":\"fixed\"}}")).get(name)));

  private static ObjectNode claim(String storageClass, String size, String phase) {
    return Json.parseObject("{\"metadata\":{\"name\":\"data\",\"namespace\":\"default\"},\"spec\":{"
        + "\"storageClassName\":\"" + storageClass + "\",\"resources\":{\"requests\":{\"storage\":\"" + size
        + "\"}}},\"status\":{\"phase\":\"" + phase + "\"}}");
  }

  private void update(ObjectNode claim, ObjectNode old, String subresource) {
    admission.validate(new AdmissionRequest(Operation.UPDATE, ResourceTypes.PERSISTENT_VOLUME_CLAIMS, subresource,
        "default", "data", claim, old, false, Requester.IN_PROCESS));
  }

  @Test
  void aBoundClaimOfAClassThatAllowsExpansionMayGrow() {
    assertThatCode(() -> update(claim("grow", "2Gi", "Bound"), claim("grow", "1Gi", "Bound"), ""))
        .doesNotThrowAnyException();
    // not growing: nothing to check (the strategy refuses a shrink)
    assertThatCode(() -> update(claim("fixed", "1Gi", "Bound"), claim("fixed", "1024Mi", "Bound"), ""))
        .doesNotThrowAnyException();
    assertThatCode(() -> update(claim("fixed", "2Gi", "Bound"), claim("fixed", "1Gi", "Bound"), "status"))
        .doesNotThrowAnyException();
  }

  @Test
  void growingIsForbiddenUnboundOrWithoutExpansion() {
    assertThatThrownBy(() -> update(claim("grow", "2Gi", "Pending"), claim("grow", "1Gi", "Pending"), ""))
        .isInstanceOf(ApiException.class).hasMessage("persistentvolumeclaims \"data\" is forbidden: Only bound "
            + "persistent volume claims can be expanded");
    String refused = "persistentvolumeclaims \"data\" is forbidden: only dynamically provisioned pvc can be resized "
        + "and the storageclass that provisions the pvc must support resize";
    assertThatThrownBy(() -> update(claim("fixed", "2Gi", "Bound"), claim("fixed", "1Gi", "Bound"), ""))
        .isInstanceOf(ApiException.class).hasMessage(refused);
    assertThatThrownBy(() -> update(claim("missing", "2Gi", "Bound"), claim("missing", "1Gi", "Bound"), ""))
        .isInstanceOf(ApiException.class).hasMessage(refused);
    assertThatThrownBy(() -> update(claim("", "2Gi", "Bound"), claim("", "1Gi", "Bound"), ""))
        .isInstanceOf(ApiException.class).hasMessage(refused);
  }
}
