package io.minicluster.registry.flowcontrol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.NameValidator;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import java.util.ArrayList;
import java.util.List;

/**
 * flowcontrol.apiserver.k8s.io/v1 FlowSchemas and PriorityLevelConfigurations, as pkg/registry/flowcontrol and
 * pkg/apis/flowcontrol/validation (the main rules: the priority level reference, matchingPrecedence in [1,10000], the
 * distinguisher and priority level types, the limited/exempt union) with v1's defaults (matchingPrecedence 1000;
 * nominalConcurrencyShares 30, queues 64, handSize 8, queueLengthLimit 50). The daemon does no API priority and
 * fairness: the objects are served and kept, no request is queued by them.
 */
public final class FlowControlStrategies {
  static final List<String> DISTINGUISHER_TYPES = List.of("ByNamespace", "ByUser");
  static final List<String> LEVEL_TYPES = List.of("Exempt", "Limited");
  static final List<String> LIMIT_RESPONSE_TYPES = List.of("Queue", "Reject");

  private FlowControlStrategies() {}

  public static Strategy flowSchemas() {
    return new Strategy() {
      @Override
      public ResourceType type() {
        return ResourceTypes.FLOW_SCHEMAS;
      }

      @Override
      public NameValidator nameValidator() {
        return NameValidator.PATH_SEGMENT;
      }

      @Override
      public void applyDefaults(ObjectNode schema) {
        ObjectNode spec = Json.with(schema, "spec");
        if (Json.number(spec, "matchingPrecedence", 0) == 0) {
          spec.put("matchingPrecedence", 1000);
        }
      }

      @Override
      public List<FieldError> validate(ObjectNode schema) {
        return validateFlowSchemaSpec(Json.get(schema, "spec"));
      }
    };
  }

  public static Strategy priorityLevelConfigurations() {
    return new Strategy() {
      @Override
      public ResourceType type() {
        return ResourceTypes.PRIORITY_LEVEL_CONFIGURATIONS;
      }

      @Override
      public NameValidator nameValidator() {
        return NameValidator.PATH_SEGMENT;
      }

      @Override
      public void applyDefaults(ObjectNode level) {
        JsonNode limited = Json.at(level, "spec", "limited");
        if (limited instanceof ObjectNode limits) {
          Json.defaultNumber(limits, "nominalConcurrencyShares", 30);
          Json.defaultNumber(limits, "lendablePercent", 0);
          JsonNode queuing = Json.at(limits, "limitResponse", "queuing");
          if (queuing instanceof ObjectNode queues) {
            Json.defaultNumber(queues, "queues", 64);
            Json.defaultNumber(queues, "handSize", 8);
            Json.defaultNumber(queues, "queueLengthLimit", 50);
          }
        }
        JsonNode exempt = Json.at(level, "spec", "exempt");
        if (exempt instanceof ObjectNode shares) {
          Json.defaultNumber(shares, "nominalConcurrencyShares", 0);
          Json.defaultNumber(shares, "lendablePercent", 0);
        }
      }

      @Override
      public List<FieldError> validate(ObjectNode level) {
        return validatePriorityLevelSpec(Json.get(level, "spec"));
      }
    };
  }

  static List<FieldError> validateFlowSchemaSpec(JsonNode spec) {
    List<FieldError> errors = new ArrayList<>();
    long precedence = Json.number(spec, "matchingPrecedence", 0);
    if (precedence <= 0) {
      errors.add(FieldError.invalid("spec.matchingPrecedence", precedence, "must be a positive value"));
    } else if (precedence > 10000) {
      errors.add(FieldError.invalid("spec.matchingPrecedence", precedence, "must not be greater than 10000"));
    }
    JsonNode method = Json.get(spec, "distinguisherMethod");
    if (method != null && !method.isNull() && !DISTINGUISHER_TYPES.contains(Json.text(method, "type"))) {
      errors.add(FieldError.notSupported("spec.distinguisherMethod.type", Json.text(method, "type"),
          DISTINGUISHER_TYPES));
    }
    if (Json.text(Json.get(spec, "priorityLevelConfiguration"), "name").isEmpty()) {
      errors.add(FieldError.required("spec.priorityLevelConfiguration.name", "must reference a priority level"));
    }
    List<JsonNode> rules = Json.elements(spec, "rules");
    for (int i = 0; i < rules.size(); i++) {
      String path = "spec.rules[" + i + "]";
      if (Json.elements(rules.get(i), "subjects").isEmpty()) {
        errors.add(FieldError.required(path + ".subjects", "subjects must contain at least one value"));
      }
      if (Json.elements(rules.get(i), "resourceRules").isEmpty()
          && Json.elements(rules.get(i), "nonResourceRules").isEmpty()) {
        errors.add(FieldError.required(path, "at least one of resourceRules and nonResourceRules has to be non-empty"));
      }
    }
    return errors;
  }

  static List<FieldError> validatePriorityLevelSpec(JsonNode spec) {
    List<FieldError> errors = new ArrayList<>();
    String type = Json.text(spec, "type");
    JsonNode limited = Json.get(spec, "limited");
    boolean hasLimited = limited != null && !limited.isNull();
    JsonNode exempt = Json.get(spec, "exempt");
    if (type.equals("Exempt")) {
      if (hasLimited) {
        errors.add(FieldError.forbidden("spec.limited", "must be nil if the type is not Limited"));
      }
    } else if (type.equals("Limited")) {
      if (!hasLimited) {
        errors.add(FieldError.required("spec.limited", "must not be empty when type is Limited"));
      } else {
        errors.addAll(validateLimited(limited));
      }
      if (exempt != null && !exempt.isNull()) {
        errors.add(FieldError.forbidden("spec.exempt", "must be nil if the type is Limited"));
      }
    } else {
      errors.add(FieldError.notSupported("spec.type", type, LEVEL_TYPES));
    }
    return errors;
  }

  private static List<FieldError> validateLimited(JsonNode limited) {
    List<FieldError> errors = new ArrayList<>();
    long shares = Json.number(limited, "nominalConcurrencyShares", 0);
    if (shares < 0) {
      errors.add(FieldError.invalid("spec.limited.nominalConcurrencyShares", shares,
          "must be a non-negative integer"));
    }
    JsonNode response = Json.get(limited, "limitResponse");
    String responseType = Json.text(response, "type");
    if (!LIMIT_RESPONSE_TYPES.contains(responseType)) {
      errors.add(FieldError.notSupported("spec.limited.limitResponse.type", responseType, LIMIT_RESPONSE_TYPES));
    }
    JsonNode queuing = Json.get(response, "queuing");
    boolean hasQueuing = queuing != null && !queuing.isNull();
    if (responseType.equals("Reject") && hasQueuing) {
      errors.add(FieldError.forbidden("spec.limited.limitResponse.queuing", "must be nil if limited.limitResponse.type"
          + " is not Limited"));
    }
    if (responseType.equals("Queue") && !hasQueuing) {
      errors.add(FieldError.required("spec.limited.limitResponse.queuing", "must not be empty if "
          + "limited.limitResponse.type is Limited"));
    }
    if (hasQueuing) {
      for (String field : List.of("queueLengthLimit", "queues", "handSize")) {
        long value = Json.number(queuing, field, 0);
        if (value <= 0) {
          errors.add(FieldError.invalid("spec.limited.limitResponse.queuing." + field, value,
              "must be positive"));
        }
      }
      if (Json.number(queuing, "handSize", 0) > Json.number(queuing, "queues", 0)) {
        errors.add(FieldError.invalid("spec.limited.limitResponse.queuing.handSize",
            Json.number(queuing, "handSize", 0), "should not be greater than queues ("
                + Json.number(queuing, "queues", 0) + ")"));
      }
    }
    return errors;
  }
}
