package io.minicluster.registry.persistentvolumeclaim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersistentVolumeClaimStrategyTest {
  private final PersistentVolumeClaimStrategy strategy = new PersistentVolumeClaimStrategy();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private ObjectNode created(String spec) {
    ObjectNode claim = json("{'metadata':{'name':'data','namespace':'default'},'spec':" + spec + "}");
    strategy.applyDefaults(claim);
    strategy.prepareForCreate(claim);
    return claim;
  }

  private List<String> errors(String spec) {
    return strategy.validate(created(spec)).stream().map(FieldError::message).toList();
  }

  private static final String CLAIM = "'accessModes':['ReadWriteOnce'],'resources':{'requests':{'storage':'1024Mi'}}";

  @Test
  void defaults() {
    ObjectNode claim = created("{" + CLAIM + "}");

    assertThat(claim.get("spec")).isEqualTo(json("{'accessModes':['ReadWriteOnce'],'resources':{'requests':"
        + "{'storage':'1Gi'}},'volumeMode':'Filesystem'}"));
    assertThat(claim.get("status")).isEqualTo(json("{'phase':'Pending'}"));
    assertThat(strategy.validate(claim)).isEmpty();
  }

  @Test
  void accessModesAndAStorageRequestAreRequired() {
    assertThat(errors("{}")).containsExactly(
        "spec.accessModes: Required value: at least 1 access mode is required",
        "spec.resources[storage]: Required value");
    assertThat(errors("{'accessModes':['ReadWriteSometimes','ReadWriteOncePod','ReadOnlyMany'],'resources':"
        + "{'requests':{'storage':'0'}},'storageClassName':'Fast_Disks','volumeMode':'Raw'}")).containsExactly(
        "spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", "
            + "\"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"",
        "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
        "spec.resources[storage]: Invalid value: \"0\": must be greater than zero",
        "spec.storageClassName: Invalid value: \"Fast_Disks\": a lowercase RFC 1123 subdomain must consist of lower "
            + "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'example.com', regex used for validation is "
            + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "spec.volumeMode: Unsupported value: \"Raw\": supported values: \"Block\", \"Filesystem\"");
  }

  @Test
  void theSpecIsImmutableButForWhatTheBinderAndResizingSet() {
    ObjectNode old = created("{" + CLAIM + "}");

    ObjectNode bound = old.deepCopy();
    ((ObjectNode) bound.get("spec")).put("volumeName", "pv-1").put("storageClassName", "local-path");
    assertThat(strategy.validateUpdate(bound, old)).isEmpty();

    ObjectNode modes = old.deepCopy();
    ((ObjectNode) modes.get("spec")).putArray("accessModes").add("ReadWriteMany");
    assertThat(strategy.validateUpdate(modes, old)).extracting(FieldError::message).containsExactly(
        "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName "
            + "for bound claims");

    ObjectNode larger = old.deepCopy();
    ((ObjectNode) larger.at("/spec/resources/requests")).put("storage", "2Gi");
    assertThat(strategy.validateUpdate(larger, old)).hasSize(1);
    ObjectNode boundOld = old.deepCopy();
    ((ObjectNode) boundOld.get("status")).put("phase", "Bound").putObject("capacity").put("storage", "1Gi");
    ObjectNode boundLarger = boundOld.deepCopy();
    ((ObjectNode) boundLarger.at("/spec/resources/requests")).put("storage", "2Gi");
    assertThat(strategy.validateUpdate(boundLarger, boundOld)).isEmpty();
    ObjectNode boundSmaller = boundOld.deepCopy();
    ((ObjectNode) boundSmaller.at("/spec/resources/requests")).put("storage", "512Mi");
    assertThat(strategy.validateUpdate(boundSmaller, boundOld)).extracting(FieldError::message).containsExactly(
        "spec.resources.requests.storage: Forbidden: field can not be less than status.capacity");
  }
}
