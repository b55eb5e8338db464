package io.minicluster.registry.networking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.validation.Formats;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;
import io.minicluster.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * networking.k8s.io/v1 IngressClasses, as pkg/registry/networking/ingressclass and ValidateIngressClass: a generation;
 * a controller that is a domain-prefixed path of at most 250 characters and may not change; parameters that name a
 * kind and a resource in a Cluster or Namespace scope. The class marked with {@link #DEFAULT_ANNOTATION} is given to
 * new Ingresses that name none (the DefaultIngressClass admission plugin).
 */
public final class IngressClassStrategy implements Strategy {
  /** The annotation that marks the cluster's default IngressClass. */
  public static final String DEFAULT_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
  private static final int MAX_CONTROLLER_LENGTH = 250;
  private static final List<String> SCOPES = List.of("Cluster", "Namespace");
  private static final String HTTP_PATH_FORMAT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
  private static final Pattern HTTP_PATH = Pattern.compile(HTTP_PATH_FORMAT);

  @Override
  public ResourceType type() {
    return ResourceTypes.INGRESS_CLASSES;
  }

  @Override
  public boolean hasGeneration() {
    return true;
  }

  /** SetDefaults_IngressClass: parameters without a scope are cluster-scoped. */
  @Override
  public void applyDefaults(ObjectNode ingressClass) {
    JsonNode parameters = Json.at(ingressClass, "spec", "parameters");
    if (parameters instanceof ObjectNode object) {
      Json.defaultText(object, "scope", "Cluster");
    }
  }

  /** Whether a class is marked default (the annotation's value "true"). */
  public static boolean isDefault(JsonNode ingressClass) {
    return "true".equals(Json.textOrNull(ingressClass, "metadata", "annotations", DEFAULT_ANNOTATION));
  }

  @Override
  public List<FieldError> validate(ObjectNode ingressClass) {
    List<FieldError> errors = new ArrayList<>();
    JsonNode spec = Json.get(ingressClass, "spec");
    String controller = Json.text(spec, "controller");
    if (controller.isEmpty()) {
      errors.add(FieldError.required("spec.controller", ""));
    } else {
      if (controller.length() > MAX_CONTROLLER_LENGTH) {
        errors.add(FieldError.tooLong("spec.controller", "", MAX_CONTROLLER_LENGTH));
      }
      errors.addAll(domainPrefixedPath(controller, "spec.controller"));
    }
    JsonNode parameters = Json.get(spec, "parameters");
    if (parameters != null) {
      errors.addAll(validateParameters(parameters, "spec.parameters"));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode ingressClass, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>();
    String controller = Json.textOrNull(ingressClass, "spec", "controller");
    if (!Objects.equals(controller, Json.textOrNull(old, "spec", "controller"))) {
      errors.add(FieldError.invalid("spec.controller", controller == null ? "" : controller,
          ObjectMetaValidation.IMMUTABLE));
    }
    errors.addAll(validate(ingressClass));
    return errors;
  }

  private static List<FieldError> validateParameters(JsonNode parameters, String at) {
    List<FieldError> errors = new ArrayList<>(NetworkingValidation.typedReference(parameters, at));
    String scope = Json.textOrNull(parameters, "scope");
    String namespace = Json.textOrNull(parameters, "namespace");
    if (scope == null) {
      errors.add(FieldError.required(at + ".scope", ""));
    } else if (!SCOPES.contains(scope)) {
      errors.add(FieldError.notSupported(at + ".scope", scope, SCOPES));
    } else if (scope.equals("Namespace")) {
      if (namespace == null) {
        errors.add(FieldError.required(at + ".namespace", "`parameters.scope` is set to 'Namespace'"));
      } else {
        for (String message : Formats.dns1123Label(namespace)) {
          errors.add(FieldError.invalid(at + ".namespace", namespace, message));
        }
      }
    } else if (namespace != null) {
      errors.add(FieldError.forbidden(at + ".namespace", "`parameters.scope` is set to 'Cluster'"));
    }
    return errors;
  }

  /** validation.IsDomainPrefixedPath: "host/path" with a DNS subdomain host and an HTTP path. */
  static List<FieldError> domainPrefixedPath(String value, String at) {
    String[] segments = value.split("/", 2);
    if (segments.length != 2 || segments[0].isEmpty() || segments[1].isEmpty()) {
      return List.of(FieldError.invalid(at, value, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
    }
    List<FieldError> errors = new ArrayList<>();
    for (String message : Formats.dns1123Subdomain(segments[0])) {
      errors.add(FieldError.invalid(at, segments[0], message));
    }
    if (!HTTP_PATH.matcher(segments[1]).matches()) {
      errors.add(FieldError.invalid(at, segments[1], Formats.regexError("Invalid path", HTTP_PATH_FORMAT)));
    }
    return errors;
  }
}
