package io.minicluster.registry.persistentvolume;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersistentVolumeStrategyTest {
  private static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");
  private final PersistentVolumeStrategy strategy = new PersistentVolumeStrategy(Clock.fixed(NOW, ZoneOffset.UTC));

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private ObjectNode created(String spec) {
    ObjectNode volume = json("{'metadata':{'name':'pv-1'},'spec':" + spec + "}");
    strategy.applyDefaults(volume);
    strategy.prepareForCreate(volume);
    return volume;
  }

  private List<String> errors(String spec) {
    return strategy.validate(created(spec)).stream().map(FieldError::message).toList();
  }

  private static final String VOLUME = "'capacity':{'storage':'5Gi'},'accessModes':['ReadWriteOnce'],'hostPath':"
      + "{'path':'/data/pv-1'}";

  @Test
  void defaults() {
    ObjectNode volume = created("{" + VOLUME + "}");

    assertThat(volume.at("/spec/persistentVolumeReclaimPolicy").asText()).isEqualTo("Retain");
    assertThat(volume.at("/spec/volumeMode").asText()).isEqualTo("Filesystem");
    assertThat(volume.get("status")).isEqualTo(json("{'phase':'Pending','lastPhaseTransitionTime':"
        + "'2026-12-07T09:00:00Z'}"));
    assertThat(strategy.validate(volume)).isEmpty();
  }

  @Test
  void validationErrors() {
    assertThat(errors("{}")).containsExactly("spec.accessModes: Required value", "spec.capacity: Required value",
        "spec.capacity: Unsupported value: map[string]string(nil): supported values: \"storage\"",
        "spec: Required value: must specify a volume type");
    assertThat(errors("{'capacity':{'storage':'1Gi'},'accessModes':['ReadWriteOnce'],'hostPath':{'path':'/a'},"
        + "'nfs':{'server':'s','path':'/b'},'persistentVolumeReclaimPolicy':'Keep'}")).containsExactly(
        "spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\": supported values: \"Delete\", "
            + "\"Recycle\", \"Retain\"",
        "spec.nfs: Forbidden: may not specify more than 1 volume type");
    assertThat(errors("{'capacity':{'storage':'1Gi'},'accessModes':['ReadWriteOnce'],'local':{'path':'rel'}}"))
        .containsExactly("spec.local.path: Invalid value: \"rel\": must be an absolute path",
            "spec.nodeAffinity: Required value: Local volume requires node affinity");
  }

  @Test
  void theSourceIsFixedAndPhaseChangesAreTimed() {
    ObjectNode old = created("{" + VOLUME + "}");
    ObjectNode moved = old.deepCopy();
    ((ObjectNode) moved.at("/spec/hostPath")).put("path", "/elsewhere");
    assertThat(strategy.validateUpdate(moved, old)).extracting(FieldError::message).containsExactly(
        "spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is forbidden once created");

    PersistentVolumeStrategy later = new PersistentVolumeStrategy(Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
    ObjectNode available = old.deepCopy();
    ((ObjectNode) available.get("status")).put("phase", "Available");
    ((ObjectNode) available.get("spec")).put("persistentVolumeReclaimPolicy", "Delete");
    later.prepareForStatusUpdate(available, old);
    assertThat(available.get("status")).isEqualTo(json("{'phase':'Available','lastPhaseTransitionTime':"
        + "'2026-12-07T09:01:00Z'}"));
    assertThat(available.at("/spec/persistentVolumeReclaimPolicy").asText()).isEqualTo("Retain");
  }
}
