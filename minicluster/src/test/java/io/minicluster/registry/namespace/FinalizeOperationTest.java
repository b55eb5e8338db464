package io.minicluster.registry.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.testing.InProcessApiTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The namespaces/finalize subresource. */
class FinalizeOperationTest extends InProcessApiTest {
  @BeforeEach
  void createNamespace() {
    client.create(ResourceTypes.NAMESPACES, null, Json.parseObject("{\"metadata\":{\"name\":\"team\"},"
        + "\"spec\":{\"finalizers\":[\"example.com/cleanup\"]}}"));
  }

  @Test
  void finalizeChangesTheFinalizersWhichAnUpdateCannot() {
    client.modify(ResourceTypes.NAMESPACES, null, "team", namespace -> {
      Json.with(namespace, "spec").putArray("finalizers");
      return namespace;
    });
    assertThat(finalizers()).containsExactly("example.com/cleanup", "kubernetes");

    ObjectNode finalized = client.finalizeNamespace("team", current -> List.of("kubernetes"));

    assertThat(finalizers()).containsExactly("kubernetes");
    assertThat(finalized.path("status").path("phase").asText()).isEqualTo("Active");
  }

  @Test
  void aNamespaceBeingDeletedGoesWithItsLastFinalizer() {
    client.delete(ResourceTypes.NAMESPACES, null, "team", DeleteOptions.DEFAULT);
    client.finalizeNamespace("team", current -> List.of("kubernetes"));
    assertThat(Meta.deleting(client.get(ResourceTypes.NAMESPACES, null, "team"))).isTrue();

    client.finalizeNamespace("team", current -> List.of());

    assertThat(client.find(ResourceTypes.NAMESPACES, null, "team")).isEmpty();
  }

  @Test
  void finalizerNamesAreValidatedAndStatusStays() {
    Throwable invalid = catchThrowable(() -> client.finalizeNamespace("team", current -> List.of("cleanup")));

    assertThat(invalid).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(422);
      assertThat(e.getMessage()).isEqualTo("Namespace \"team\" is invalid: spec.finalizers[0]: Invalid value: "
          + "\"cleanup\": name is neither a standard finalizer name nor is it fully qualified");
    });
    assertThat(finalizers()).containsExactly("example.com/cleanup", "kubernetes");
  }

  private List<String> finalizers() {
    List<String> names = new ArrayList<>();
    client.get(ResourceTypes.NAMESPACES, null, "team").path("spec").path("finalizers")
        .forEach(name -> names.add(name.asText()));
    return names;
  }
}
