package io.minicluster.registry.admission;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Admission;
import io.minicluster.registry.WriteOptions;
import io.minicluster.registry.networking.IngressClassStrategy;
import io.minicluster.registry.networking.IngressStrategy;
import java.util.List;
import java.util.function.Supplier;

/**
 * The DefaultIngressClass admission plugin: a new Ingress that names no class (no spec.ingressClassName and no
 * {@code kubernetes.io/ingress.class} annotation) gets the IngressClass marked
 * {@code ingressclass.kubernetes.io/is-default-class: "true"}, the newest when several are (the first by name among
 * equally new ones); with none it is left without a class.
 */
public final class DefaultIngressClass implements Admission {
  private final Supplier<List<ObjectNode>> ingressClasses;

  /** @param ingressClasses lists every IngressClass */
  public DefaultIngressClass(Supplier<List<ObjectNode>> ingressClasses) {
    this.ingressClasses = requireNonNull(ingressClasses, "ingressClasses is null");
  }

  @Override
  public void admitCreate(ResourceType type, ObjectNode ingress, WriteOptions options) {
    if (type != ResourceTypes.INGRESSES
        || Json.textOrNull(ingress, "spec", "ingressClassName") != null
        || Json.textOrNull(ingress, "metadata", "annotations", IngressStrategy.CLASS_ANNOTATION) != null) {
      return;
    }
    DefaultClasses.newest(ingressClasses.get(), IngressClassStrategy::isDefault)
        .ifPresent(c -> Json.with(ingress, "spec").put("ingressClassName", Meta.name(c)));
  }
}
