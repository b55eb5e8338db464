package io.minicluster.registry.admissionregistration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.Strategy;

import java.util.List;

/**
 * ValidatingWebhookConfigurations and MutatingWebhookConfigurations, as pkg/registry/admissionregistration: each webhook
 * defaulted as SetDefaults_ValidatingWebhook / SetDefaults_MutatingWebhook (failurePolicy Fail, matchPolicy
 * Equivalent, empty namespace and object selectors, timeoutSeconds 10, reinvocationPolicy Never, rules of scope "*",
 * service port 443) and validated by {@link WebhookValidation}; the generation counts changes of the webhooks.
 */
public final class WebhookConfigurationStrategy implements Strategy {
  private final ResourceType type;
  private final boolean mutating;

  private WebhookConfigurationStrategy(ResourceType type, boolean mutating) {
    this.type = type;
    this.mutating = mutating;
  }

  public static WebhookConfigurationStrategy validating() {
    return new WebhookConfigurationStrategy(ResourceTypes.VALIDATING_WEBHOOK_CONFIGURATIONS, false);
  }

  public static WebhookConfigurationStrategy mutating() {
    return new WebhookConfigurationStrategy(ResourceTypes.MUTATING_WEBHOOK_CONFIGURATIONS, true);
  }

  @Override
  public ResourceType type() {
    return type;
  }

  @Override
  public void applyDefaults(ObjectNode configuration) {
    for (ObjectNode hook : Json.objects(configuration, "webhooks")) {
      Json.defaultText(hook, "failurePolicy", "Fail");
      Json.defaultText(hook, "matchPolicy", "Equivalent");
      if (!hook.hasNonNull("namespaceSelector")) {
        hook.putObject("namespaceSelector");
      }
      if (!hook.hasNonNull("objectSelector")) {
        hook.putObject("objectSelector");
      }
      Json.defaultNumber(hook, "timeoutSeconds", 10);
      if (mutating) {
        Json.defaultText(hook, "reinvocationPolicy", "Never");
      }
      for (ObjectNode rule : Json.objects(hook, "rules")) {
        Json.defaultText(rule, "scope", "*");
      }
      ObjectNode service = Json.object(Json.get(hook, "clientConfig"), "service");
      if (service != null) {
        Json.defaultNumber(service, "port", 443);
      }
    }
  }

  @Override
  public boolean hasGeneration() {
    return true;
  }

  @Override
  public List<FieldError> validate(ObjectNode configuration) {
    return WebhookValidation.webhooks(configuration, mutating);
  }
}
