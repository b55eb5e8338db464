package io.minicluster.registry.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.json.Json;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The choice of the DefaultStorageClass and DefaultIngressClass plugins among the classes marked default: the newest,
 * the first by name among equally new ones.
 */
final class DefaultClasses {
  private DefaultClasses() {}

  static Optional<ObjectNode> newest(List<ObjectNode> classes, Predicate<ObjectNode> isDefault) {
    return classes.stream()
        .filter(isDefault)
        .max(Comparator.comparing((ObjectNode c) -> Json.text(Json.get(c, "metadata"), "creationTimestamp"))
            .thenComparing(Meta::name, Comparator.reverseOrder()));
  }
}
