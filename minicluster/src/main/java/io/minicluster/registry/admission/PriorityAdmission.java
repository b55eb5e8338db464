package io.minicluster.registry.admission;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Admission;
import io.minicluster.registry.WriteOptions;
import io.minicluster.registry.scheduling.PriorityClassStrategy;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Priority admission plugin (plugin/pkg/admission/priority): a new pod gets spec.priority and
 * spec.preemptionPolicy from its priorityClassName, or from the globalDefault class (whose name it then gets), else
 * priority 0 and PreemptLowerPriority; an unknown class, or a priority or policy that differs from the class's, is
 * forbidden. An update keeps the pod's priority and policy. A PriorityClass may not be marked globalDefault while
 * another is, and the built-in system classes may not be deleted.
 */
public final class PriorityAdmission implements Admission {
  private static final String DEFAULT_PREEMPTION_POLICY = "PreemptLowerPriority";

  private final Function<String, Optional<ObjectNode>> priorityClass;
  private final Supplier<List<ObjectNode>> priorityClasses;

  /**
   * @param priorityClass finds a PriorityClass by name
   * @param priorityClasses lists every PriorityClass
   */
  public PriorityAdmission(Function<String, Optional<ObjectNode>> priorityClass,
      Supplier<List<ObjectNode>> priorityClasses) {
    this.priorityClass = requireNonNull(priorityClass, "priorityClass is null");
    this.priorityClasses = requireNonNull(priorityClasses, "priorityClasses is null");
  }

  @Override
  public void admitCreate(ResourceType type, ObjectNode object, WriteOptions options) {
    if (type == ResourceTypes.PODS) {
      admitPod(object);
    } else if (type == ResourceTypes.PRIORITY_CLASSES) {
      checkSingleDefault(object, true);
    }
  }

  @Override
  public void admitUpdate(ResourceType type, ObjectNode object, ObjectNode old, WriteOptions options) {
    if (type == ResourceTypes.PODS) {
      // the priority this plugin set on create stays (validation forbids changing it)
      ObjectNode spec = Json.with(object, "spec");
      for (String field : List.of("priority", "preemptionPolicy")) {
        JsonNode previous = Json.at(old, "spec", field);
        if (!Json.has(spec, field) && previous != null && !previous.isNull()) {
          spec.set(field, previous.deepCopy());
        }
      }
    } else if (type == ResourceTypes.PRIORITY_CLASSES) {
      checkSingleDefault(object, false);
    }
  }

  @Override
  public void admitDelete(ResourceType type, ObjectNode object) {
    if (type == ResourceTypes.PRIORITY_CLASSES && PriorityClassStrategy.SYSTEM_CLASSES.containsKey(Meta.name(object))) {
      throw ApiException.forbidden(type, Meta.name(object), "this is a system priority class and cannot be deleted");
    }
  }

  private void admitPod(ObjectNode pod) {
    ObjectNode spec = Json.with(pod, "spec");
    String className = Json.text(spec, "priorityClassName");
    long priority;
    String policy;
    if (className.isEmpty()) {
      Optional<ObjectNode> globalDefault = globalDefault();
      priority = globalDefault.map(PriorityAdmission::value).orElse(0L);
      policy = globalDefault.map(c -> Json.textOrNull(c, "preemptionPolicy")).orElse(DEFAULT_PREEMPTION_POLICY);
      globalDefault.ifPresent(c -> spec.put("priorityClassName", Meta.name(c)));
    } else {
      ObjectNode found = priorityClass.apply(className).orElseThrow(() -> ApiException.forbidden(ResourceTypes.PODS,
          Meta.name(pod), "no PriorityClass with name " + className + " was found"));
      priority = value(found);
      policy = Json.textOrNull(found, "preemptionPolicy");
    }
    JsonNode given = Json.get(spec, "priority");
    if (given != null && given.asLong() != priority) {
      throw ApiException.forbidden(ResourceTypes.PODS, Meta.name(pod), "the integer value of priority ("
          + given.asLong() + ") must not be provided in pod spec; priority admission controller computed "
          + priority + " from the given PriorityClass name");
    }
    Json.putNumber(spec, "priority", priority);
    if (policy != null) {
      String givenPolicy = Json.textOrNull(spec, "preemptionPolicy");
      if (givenPolicy != null && !givenPolicy.equals(policy)) {
        throw ApiException.forbidden(ResourceTypes.PODS, Meta.name(pod), "the string value of PreemptionPolicy ("
            + givenPolicy + ") must not be provided in pod spec; priority admission controller computed " + policy
            + " from the given PriorityClass name");
      }
      spec.put("preemptionPolicy", policy);
    }
  }

  /** A second default class is refused, on create and when another class than the default one is marked. */
  private void checkSingleDefault(ObjectNode priorityClass, boolean create) {
    if (!PriorityClassStrategy.globalDefault(priorityClass)) {
      return;
    }
    globalDefault().ifPresent(existing -> {
      if (create || !Meta.name(existing).equals(Meta.name(priorityClass))) {
        throw ApiException.forbidden(ResourceTypes.PRIORITY_CLASSES, Meta.name(priorityClass), "PriorityClass "
            + Meta.name(existing) + " is already marked as default. Only one default can exist");
      }
    });
  }

  /** getDefaultPriorityClass: of several global defaults (a race), the one with the lowest value. */
  private Optional<ObjectNode> globalDefault() {
    return priorityClasses.get().stream()
        .filter(PriorityClassStrategy::globalDefault)
        .min(Comparator.comparingLong(PriorityAdmission::value));
  }

  private static long value(JsonNode priorityClass) {
    return Json.number(priorityClass, "value", 0);
  }
}
