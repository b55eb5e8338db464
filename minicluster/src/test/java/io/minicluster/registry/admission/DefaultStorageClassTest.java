package io.minicluster.registry.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultStorageClassTest {
  private final List<ObjectNode> classes = new ArrayList<>();
  private final DefaultStorageClass plugin = new DefaultStorageClass(() -> classes);

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private static ObjectNode storageClass(String name, String created, boolean isDefault) {
    return json("{'metadata':{'name':'" + name + "','creationTimestamp':'" + created + "','annotations':"
        + "{'storageclass.kubernetes.io/is-default-class':'" + isDefault + "'}},'provisioner':'p'}");
  }

  private String admitted(String spec) {
    ObjectNode claim = json("{'metadata':{'name':'data','namespace':'default'},'spec':" + spec + "}");
    plugin.admitCreate(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, claim, WriteOptions.DEFAULT);
    return Json.textOrNull(claim, "spec", "storageClassName");
  }

  @Test
  void aClaimWithoutAClassGetsTheNewestDefault() {
    assertThat(admitted("{}")).as("no default class: left unset").isNull();

    classes.add(storageClass("slow", "2026-12-07T09:00:00Z", false));
    classes.add(storageClass("local-path", "2026-12-07T09:00:00Z", true));
    assertThat(admitted("{}")).isEqualTo("local-path");

    classes.add(storageClass("b-newer", "2026-12-07T10:00:00Z", true));
    classes.add(storageClass("a-newer", "2026-12-07T10:00:00Z", true));
    assertThat(admitted("{}")).isEqualTo("a-newer");
  }

  @Test
  void anExplicitClassOrNoneStays() {
    classes.add(storageClass("local-path", "2026-12-07T09:00:00Z", true));

    assertThat(admitted("{'storageClassName':'fast'}")).isEqualTo("fast");
    assertThat(admitted("{'storageClassName':''}")).isEmpty();
    ObjectNode annotated = json("{'metadata':{'name':'d','annotations':{'volume.beta.kubernetes.io/storage-class':"
        + "'old'}},'spec':{}}");
    plugin.admitCreate(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, annotated, WriteOptions.DEFAULT);
    assertThat(annotated.at("/spec/storageClassName").isMissingNode()).isTrue();
  }
}
