package io.minicluster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request handling of resource URLs, through {@link EndpointsHarness}. */
class ResourceEndpointsTest {
  private static final String CONFIG_MAPS = "/api/v1/namespaces/default/configmaps";

  @TempDir
  Path directory;

  private EndpointsHarness api;

  @BeforeEach
  void open() {
    api = new EndpointsHarness(directory);
  }

  @AfterEach
  void close() {
    api.close();
  }

  private static String text(ApiResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private ApiResponse createConfigMap(String name) {
    return api.send(HttpMethod.POST, CONFIG_MAPS, "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
            + "\"data\":{\"k\":\"v\"}}");
  }

  @Test
  void jsonBodiesEndWithTheNewlineOfGosEncoder() {
    ApiResponse created = createConfigMap("cm");
    assertThat(created.status()).isEqualTo(201);
    assertThat(text(created)).startsWith("{\"kind\":\"ConfigMap\"").endsWith("}\n");
    assertThat(text(api.send(HttpMethod.GET, CONFIG_MAPS + "/cm", null, null))).endsWith("}\n");
    assertThat(text(api.send(HttpMethod.GET, CONFIG_MAPS, null, null))).endsWith("]}\n");

    ApiResponse conflict = api.send(HttpMethod.PUT, CONFIG_MAPS + "/cm", "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\",\"resourceVersion\":\"12345\"}}");
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(text(conflict)).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
        + "\"status\":\"Failure\",\"message\":\"Operation cannot be fulfilled on configmaps \\\"cm\\\": the object "
        + "has been modified; please apply your changes to the latest version and try again\","
        + "\"reason\":\"Conflict\",\"details\":{\"name\":\"cm\",\"kind\":\"configmaps\"},\"code\":409}\n");
    assertThat(text(api.send(HttpMethod.GET, CONFIG_MAPS + "/absent", null, null))).endsWith("}\n");
  }

  @Test
  void watchEventsAreOneNewlineTerminatedDocumentEach() {
    createConfigMap("a");
    createConfigMap("b");

    String streamed = new String(api.watchInitialEvents(CONFIG_MAPS + "?watch=1"), StandardCharsets.UTF_8);

    assertThat(streamed.split("\n", -1)).hasSize(3);
    assertThat(streamed).startsWith("{\"type\":\"ADDED\"").endsWith("}}\n").contains("}}\n{\"type\":\"ADDED\"");
  }
}
