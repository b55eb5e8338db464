package io.minicluster.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoredFormTest {
  private final StoredForm form = new StoredForm(StorageConversion.IDENTITY);

  @Test
  void theStoredBytesLeaveOutTheResourceVersionWithoutChangingTheObject() {
    ObjectNode object = Json.parseObject("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\","
        + "\"resourceVersion\":\"7\",\"uid\":\"u\"},\"data\":{\"k\":\"v\"}}");
    String before = object.toString();

    byte[] stored = form.encode(object);

    assertThat(new String(stored, StandardCharsets.UTF_8)).isEqualTo("{\"kind\":\"ConfigMap\",\"metadata\":"
        + "{\"name\":\"cm\",\"uid\":\"u\"},\"data\":{\"k\":\"v\"}}");
    assertThat(object.toString()).isEqualTo(before);
    assertThat(form.decode(9, stored)).isEqualTo(Json.parseObject(before.replace("\"7\"", "\"9\"")));
  }
}
