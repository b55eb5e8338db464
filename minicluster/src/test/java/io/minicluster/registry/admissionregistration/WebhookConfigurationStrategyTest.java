package io.minicluster.registry.admissionregistration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class WebhookConfigurationStrategyTest {
  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private static ObjectNode defaulted(WebhookConfigurationStrategy strategy, String webhooks) {
    ObjectNode configuration = json("{'metadata':{'name':'hooks'},'webhooks':[" + webhooks + "]}");
    strategy.applyDefaults(configuration);
    return configuration;
  }

  @Test
  void defaultsAsTheV1DefaultingFunctions() {
    ObjectNode configuration = defaulted(WebhookConfigurationStrategy.mutating(),
        "{'name':'label.example.com','sideEffects':'None','admissionReviewVersions':['v1'],"
            + "'clientConfig':{'service':{'namespace':'default','name':'hook'}},"
            + "'rules':[{'operations':['CREATE'],'apiGroups':[''],'apiVersions':['v1'],'resources':['pods']}]}");

    ObjectNode hook = (ObjectNode) configuration.get("webhooks").get(0);
    assertThat(hook.get("failurePolicy").asText()).isEqualTo("Fail");
    assertThat(hook.get("matchPolicy").asText()).isEqualTo("Equivalent");
    assertThat(hook.get("timeoutSeconds").asLong()).isEqualTo(10);
    assertThat(hook.get("reinvocationPolicy").asText()).isEqualTo("Never");
    assertThat(Json.string(hook.get("namespaceSelector"))).isEqualTo("{}");
    assertThat(Json.string(hook.get("objectSelector"))).isEqualTo("{}");
    assertThat(hook.at("/rules/0/scope").asText()).isEqualTo("*");
    assertThat(hook.at("/clientConfig/service/port").asLong()).isEqualTo(443);
    assertThat(WebhookConfigurationStrategy.mutating().validate(configuration)).isEmpty();
    assertThat(defaulted(WebhookConfigurationStrategy.validating(), "{'name':'a.b.c'}").at("/webhooks/0")
        .has("reinvocationPolicy")).isFalse();
  }

  @Test
  void validationMessagesAsUpstream() {
    WebhookConfigurationStrategy strategy = WebhookConfigurationStrategy.validating();
    ObjectNode configuration = defaulted(strategy,
        "{'name':'deny','clientConfig':{'url':'http://127.0.0.1:1/x'},'timeoutSeconds':31,"
            + "'rules':[{'operations':['CREATE','*'],'apiGroups':[''],'apiVersions':['v1'],"
            + "'resources':['*','pods']}]},"
            + "{'name':'deny','sideEffects':'Some','admissionReviewVersions':['v2'],'clientConfig':{}}");

    assertThat(strategy.validate(configuration)).extracting(FieldError::message).containsExactly(
        "webhooks[0].name: Invalid value: \"deny\": should be a domain with at least three segments separated by dots",
        "webhooks[0].rules[0].operations: Invalid value: [\"CREATE\",\"*\"]: if '*' is present, must not specify "
            + "other operations",
        "webhooks[0].rules[0].resources: Invalid value: [\"*\",\"pods\"]: if '*' is present, must not specify other "
            + "resources without subresources",
        "webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun",
        "webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds",
        "webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme; desired "
            + "format: https://host[/path]",
        "webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1",
        "webhooks[1].name: Invalid value: \"deny\": should be a domain with at least three segments separated by dots",
        "webhooks[1].sideEffects: Unsupported value: \"Some\": supported values: \"None\", \"NoneOnDryRun\"",
        "webhooks[1].clientConfig: Required value: exactly one of url or service is required",
        "webhooks[1].admissionReviewVersions: Invalid value: [\"v2\"]: must include at least one of v1, v1beta1",
        "webhooks[1].name: Duplicate value: \"deny\"");
  }
}
