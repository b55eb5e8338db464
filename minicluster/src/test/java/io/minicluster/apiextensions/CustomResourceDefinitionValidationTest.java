package io.minicluster.apiextensions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomResourceDefinitionValidationTest {
  private static final CustomResourceDefinitionValidation VALIDATION =
      new CustomResourceDefinitionValidation((schema, path) -> schema.has("type") ? List.of()
          : List.of(FieldError.required(path + ".type", "must not be empty for specified object fields")));

  private static ObjectNode crd() {
    return Json.parseObject("""
        {"metadata":{"name":"crontabs.stable.example.com"},
         "spec":{"group":"stable.example.com","scope":"Namespaced",
          "names":{"plural":"crontabs","singular":"crontab","kind":"CronTab","listKind":"CronTabList",
           "shortNames":["ct"]},
          "versions":[{"name":"v1","served":true,"storage":true,
           "schema":{"openAPIV3Schema":{"type":"object"}},
           "additionalPrinterColumns":[{"name":"Spec","type":"string","jsonPath":".spec.cronSpec"}]}]}}""");
  }

  private static List<String> messages(ObjectNode crd) {
    return VALIDATION.validate(crd).stream().map(FieldError::message).toList();
  }

  @Test
  void validDefinitionHasNoErrors() {
    assertThat(messages(crd())).isEmpty();
  }

  @Test
  void nameGroupScopeAndNamesAreChecked() {
    ObjectNode crd = crd();
    Json.with(crd, "spec").put("group", "example").put("scope", "Global");
    Json.with(crd, "spec", "names").put("kind", "Cron_Tab").put("listKind", "Cron_Tab").putArray("shortNames")
        .add("CT");
    assertThat(messages(crd)).containsExactly(
        "metadata.name: Invalid value: \"crontabs.stable.example.com\": must be spec.names.plural+\".\"+spec.group",
        "spec.group: Invalid value: \"example\": should be a domain with at least one dot",
        "spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\"",
        "spec.names.kind: Invalid value: \"Cron_Tab\": may have mixed case, but should otherwise match: a DNS-1035 "
            + "label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, "
            + "and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
            + "'[a-z]([-a-z0-9]*[a-z0-9])?')",
        "spec.names.listKind: Invalid value: \"Cron_Tab\": may have mixed case, but should otherwise match: a "
            + "DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
            + "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
            + "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        "spec.names.listKind: Invalid value: \"Cron_Tab\": kind and listKind may not be the same",
        "spec.names.shortNames[0]: Invalid value: \"CT\": a DNS-1035 label must consist of lower case alphanumeric "
            + "characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. "
            + "'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
  }

  @Test
  void aWebhookConversionNeedsItsClientConfigAndReviewVersionsAndNoneHasNeither() {
    ObjectNode webhook = crd();
    Json.with(webhook, "spec", "conversion").put("strategy", "Webhook");
    assertThat(messages(webhook)).containsExactly(
        "spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook",
        "spec.conversion.conversionReviewVersions: Required value");

    Json.with(webhook, "spec").put("preserveUnknownFields", true);
    Json.with(webhook, "spec", "conversion", "webhook").putArray("conversionReviewVersions")
        .add("v2").add("v2");
    Json.with(webhook, "spec", "conversion", "webhook", "clientConfig").put("url", "http://127.0.0.1/convert");
    assertThat(messages(webhook)).containsExactly(
        "spec.conversion.strategy: Invalid value: \"Webhook\": must be None if spec.preserveUnknownFields is true",
        "spec.conversion.webhookClientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme; "
            + "desired format: https://host[/path]",
        "spec.conversion.conversionReviewVersions[1]: Invalid value: \"v2\": duplicate version",
        "spec.conversion.conversionReviewVersions: Invalid value: [\"v2\",\"v2\"]: must include at least one of "
            + "v1, v1beta1");

    ObjectNode none = crd();
    Json.with(none, "spec", "conversion").put("strategy", "None");
    Json.with(none, "spec", "conversion", "webhook").putArray("conversionReviewVersions").add("v1");
    Json.with(none, "spec", "conversion", "webhook", "clientConfig").put("url", "https://127.0.0.1/convert");
    assertThat(messages(none)).containsExactly(
        "spec.conversion.webhookClientConfig: Forbidden: should not be set when strategy is not set to Webhook",
        "spec.conversion.conversionReviewVersions: Forbidden: should not be set when strategy is not set to Webhook");
  }

  @Test
  void versionsNeedExactlyOneStorageVersionAndSchemas() {
    ObjectNode crd = crd();
    ObjectNode second = Json.with(crd, "spec").withArray("versions").addObject();
    second.put("name", "v2").put("served", true).put("storage", true);
    assertThat(messages(crd)).containsExactly(
        "spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required",
        "spec.versions: Invalid value: \"[v1, v2]\": must have exactly one version marked as storage version");
  }

  @Test
  void schemaErrorsComeFromTheSchemaCheckAtTheVersionsPath() {
    ObjectNode crd = crd();
    ((ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema")).remove("type");
    assertThat(messages(crd)).containsExactly("spec.versions[0].schema.openAPIV3Schema.type: Required value: must "
        + "not be empty for specified object fields");
  }

  @Test
  void printerColumnsAndScalePathsAreChecked() {
    ObjectNode crd = crd();
    ObjectNode version = (ObjectNode) crd.at("/spec/versions/0");
    ((ObjectNode) version.at("/additionalPrinterColumns/0")).put("type", "text").put("jsonPath", "spec");
    version.putObject("subresources").putObject("scale").put("specReplicasPath", ".status.replicas")
        .put("statusReplicasPath", ".status.replicas");
    assertThat(messages(crd)).containsExactly(
        "spec.versions[0].subresources.scale.specReplicasPath: Invalid value: \".status.replicas\": should be a "
            + "json path under .spec",
        "spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: \"text\": supported values: "
            + "\"integer\", \"number\", \"string\", \"boolean\", \"date\"",
        "spec.versions[0].additionalPrinterColumns[0].jsonPath: Invalid value: \"spec\": must be a simple json path");
  }

  @Test
  void groupAndPluralNeverChangeScopeAndKindNotOnceEstablished() {
    ObjectNode old = crd();
    Json.with(old, "status").putArray("conditions").addObject().put("type", "Established").put("status", "True");
    ObjectNode changed = crd();
    Json.with(changed, "spec").put("scope", "Cluster");
    assertThat(VALIDATION.validateUpdate(changed, old).stream().map(FieldError::message).toList())
        .containsExactly("spec.scope: Invalid value: \"Cluster\": field is immutable");
  }
}
