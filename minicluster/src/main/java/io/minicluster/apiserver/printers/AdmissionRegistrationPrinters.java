package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The admissionregistration.k8s.io printers of printers.go: webhook configurations print NAME, WEBHOOKS (their
 * count), AGE; validating admission policies NAME, VALIDATIONS, PARAMKIND, AGE; their bindings NAME, POLICYNAME,
 * PARAMREF, AGE ({@code <unset>} where no param is used).
 */
final class AdmissionRegistrationPrinters {
  private static final String UNSET = "<unset>";

  private AdmissionRegistrationPrinters() {}

  static TablePrinter webhookConfiguration() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.integer("Webhooks", "Webhooks indicates the number of webhooks"),
        Column.creationAge()),
        (object, now) -> List.of(Fields.name(object), (long) Fields.size(object, "webhooks"), Fields.age(object, now)));
  }

  static TablePrinter validatingAdmissionPolicy() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.integer("Validations", "Validations indicates the number of validation rules"),
        Column.string("ParamKind", "ParamKind specifies the kind of resources used to parameterize this policy"),
        Column.creationAge()),
        (object, now) -> {
          JsonNode paramKind = Fields.object(object, "spec", "paramKind");
          String param = paramKind == null ? UNSET
              : Fields.text(paramKind, "apiVersion") + "/" + Fields.text(paramKind, "kind");
          return List.of(Fields.name(object), (long) Fields.size(object, "spec", "validations"), param,
              Fields.age(object, now));
        });
  }

  static TablePrinter validatingAdmissionPolicyBinding() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("PolicyName", "PolicyName references a ValidatingAdmissionPolicy name which the "
            + "ValidatingAdmissionPolicyBinding binds to."),
        Column.string("ParamRef", "ParamRef specifies the parameter resource used to configure the admission control "
            + "policy."),
        Column.creationAge()),
        (object, now) -> {
          JsonNode paramRef = Fields.object(object, "spec", "paramRef");
          String param = UNSET;
          if (paramRef != null && !Fields.text(paramRef, "name").isEmpty()) {
            String namespace = Fields.text(paramRef, "namespace");
            param = (namespace.isEmpty() ? "*" : namespace) + "/" + Fields.text(paramRef, "name");
          } else if (paramRef != null && Fields.object(paramRef, "selector") != null) {
            param = "selector";
          }
          return List.of(Fields.name(object), Fields.text(object, "spec", "policyName"), param,
              Fields.age(object, now));
        });
  }
}
