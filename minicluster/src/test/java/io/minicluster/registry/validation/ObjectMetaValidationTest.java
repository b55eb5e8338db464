package io.minicluster.registry.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import io.minicluster.api.validation.Formats;
import io.minicluster.api.validation.NameValidator;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ObjectMetaValidationTest {
  private static final String SUBDOMAIN_MESSAGE = "a lowercase RFC 1123 subdomain must consist of lower case "
      + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
      + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

  private static List<String> messages(List<FieldError> errors) {
    return errors.stream().map(FieldError::message).toList();
  }

  private static ObjectNode object(String json) {
    return Json.parseObject(json.replace('\'', '"'));
  }

  @Test
  void nameRequiredUnlessGenerateName() {
    assertThat(messages(ObjectMetaValidation.validate(object("{'metadata':{'namespace':'default'}}"), true,
        NameValidator.DNS1123_SUBDOMAIN)))
        .containsExactly("metadata.name: Required value: name or generateName is required");
    assertThat(ObjectMetaValidation.validate(object("{'metadata':{'generateName':'web-','namespace':'default'}}"),
        true, NameValidator.DNS1123_SUBDOMAIN)).isEmpty();
  }

  @Test
  void managedFieldsEntriesNeedAKnownOperationAndFieldsType() {
    assertThat(messages(ObjectMetaValidation.validate(object("{'metadata':{'name':'a','namespace':'ns',"
        + "'managedFields':[{'manager':'m','operation':'Replace','apiVersion':'v1','fieldsType':'FieldsV2'},"
        + "{'manager':'m','operation':'Apply','apiVersion':'v1','fieldsType':'FieldsV1','fieldsV1':{}}]}}"), true,
        NameValidator.DNS1123_SUBDOMAIN))).containsExactly(
        "metadata.managedFields[0].operation: Invalid value: \"Replace\": must be `Apply` or `Update`",
        "metadata.managedFields[0].fieldsType: Invalid value: \"FieldsV2\": must be `FieldsV1`");
  }

  @Test
  void invalidNameWithSubdomainMessage() {
    assertThat(messages(ObjectMetaValidation.validate(object("{'metadata':{'name':'Bad_Name','namespace':'ns'}}"),
        true, NameValidator.DNS1123_SUBDOMAIN)))
        .containsExactly("metadata.name: Invalid value: \"Bad_Name\": " + SUBDOMAIN_MESSAGE);
  }

  @Test
  void serviceNamesAreDns1035Labels() {
    assertThat(messages(ObjectMetaValidation.validate(object("{'metadata':{'name':'1web','namespace':'ns'}}"),
        true, NameValidator.DNS1035_LABEL))).containsExactly("metadata.name: Invalid value: \"1web\": a DNS-1035 "
        + "label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and "
        + "end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
        + "'[a-z]([-a-z0-9]*[a-z0-9])?')");
  }

  @Test
  void namespaceLabelDotsAndNamespaceChecks() {
    assertThat(messages(ObjectMetaValidation.validate(object("{'metadata':{'name':'a.b'}}"), false,
        NameValidator.DNS1123_LABEL))).containsExactly("metadata.name: Invalid value: \"a.b\": must not contain dots");
    assertThat(messages(ObjectMetaValidation.validate(object("{'metadata':{'name':'a'}}"), true,
        NameValidator.DNS1123_SUBDOMAIN))).containsExactly("metadata.namespace: Required value");
    assertThat(messages(ObjectMetaValidation.validate(object("{'metadata':{'name':'a','namespace':'x'}}"), false,
        NameValidator.DNS1123_SUBDOMAIN))).containsExactly("metadata.namespace: Forbidden: not allowed on this type");
  }

  @Test
  void generateNameTrailingDashIsAccepted() {
    assertThat(NameValidator.DNS1123_SUBDOMAIN.validate("web-", true)).isEmpty();
    assertThat(NameValidator.DNS1123_SUBDOMAIN.validate("web-", false)).hasSize(1);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "'{\"a/b/c\":\"x\"}'|metadata.labels: Invalid value: \"a/b/c\": a valid label key must consist of alphanumeric "
          + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
          + "'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an "
          + "optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      "'{\"/x\":\"y\"}'|metadata.labels: Invalid value: \"/x\": prefix part must be non-empty",
      "'{\"app\":\"-bad\"}'|metadata.labels: Invalid value: \"-bad\": a valid label must be an empty string or consist "
          + "of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
          + "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
          + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
  })
  void labels(String labels, String expected) {
    ObjectNode object = object("{'metadata':{'name':'a','namespace':'ns'}}");
    ((ObjectNode) object.get("metadata")).set("labels", Json.parseObject(labels));
    assertThat(messages(ObjectMetaValidation.validate(object, true, NameValidator.DNS1123_SUBDOMAIN)))
        .containsExactly(expected);
  }

  @Test
  void longLabelValueAndAnnotationsSize() {
    ObjectNode object = object("{'metadata':{'name':'a','namespace':'ns'}}");
    ((ObjectNode) object.get("metadata")).putObject("labels").put("k", "a".repeat(64));
    assertThat(messages(ObjectMetaValidation.validate(object, true, NameValidator.DNS1123_SUBDOMAIN)))
        .containsExactly("metadata.labels: Invalid value: \"" + "a".repeat(64) + "\": must be no more than 63 characters");
    ObjectNode big = object("{'metadata':{'name':'a','namespace':'ns'}}");
    ((ObjectNode) big.get("metadata")).putObject("annotations").put("k", "a".repeat(262144));
    assertThat(messages(ObjectMetaValidation.validate(big, true, NameValidator.DNS1123_SUBDOMAIN)))
        .containsExactly("metadata.annotations: Too long: may not be more than 262144 bytes");
  }

  @Test
  void ownerReferencesAndFinalizers() {
    ObjectNode object = object("{'metadata':{'name':'a','namespace':'ns','ownerReferences':[{'apiVersion':'',"
        + "'kind':'','name':'','uid':''}],'finalizers':['orphan','foregroundDeletion','a/b/c']}}");
    assertThat(messages(ObjectMetaValidation.validate(object, true, NameValidator.DNS1123_SUBDOMAIN))).containsExactly(
        "metadata.ownerReferences.apiVersion: Invalid value: \"\": version must not be empty",
        "metadata.ownerReferences.kind: Invalid value: \"\": must not be empty",
        "metadata.ownerReferences.name: Invalid value: \"\": must not be empty",
        "metadata.ownerReferences.uid: Invalid value: \"\": must not be empty",
        "metadata.finalizers: Invalid value: \"a/b/c\": a valid label key must consist of alphanumeric characters, "
            + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
            + "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional "
            + "DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        "metadata.finalizers: Invalid value: []string{\"orphan\", \"foregroundDeletion\", \"a/b/c\"}: finalizer "
            + "orphan and foregroundDeletion cannot be both set");
  }

  @Test
  void immutableFieldsOnUpdate() {
    ObjectNode old = object("{'metadata':{'name':'a','namespace':'ns','uid':'u1','creationTimestamp':"
        + "'2024-01-02T03:04:05Z','generation':2}}");
    ObjectNode updated = object("{'metadata':{'name':'b','namespace':'ns','uid':'u2','creationTimestamp':"
        + "'2024-01-02T03:04:06Z','generation':1}}");
    assertThat(messages(ObjectMetaValidation.validateUpdate(updated, old))).containsExactly(
        "metadata.generation: Invalid value: 1: must not be decremented",
        "metadata.name: Invalid value: \"b\": field is immutable",
        "metadata.uid: Invalid value: \"u2\": field is immutable",
        "metadata.creationTimestamp: Invalid value: 2024-01-02 03:04:06 +0000 UTC: field is immutable");
    assertThat(ObjectMetaValidation.validateUpdate(old.deepCopy(), old)).isEmpty();
  }

  @Test
  void noNewFinalizersWhileDeleting() {
    ObjectNode old = object("{'metadata':{'name':'a','deletionTimestamp':'2024-01-02T03:04:05Z',"
        + "'deletionGracePeriodSeconds':0,'finalizers':['x']}}");
    ObjectNode updated = old.deepCopy();
    ((ObjectNode) updated.get("metadata")).putArray("finalizers").add("x").add("y");
    assertThat(messages(ObjectMetaValidation.validateUpdate(updated, old))).containsExactly(
        "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new "
            + "finalizers []string{\"y\"}");
  }

  @Test
  void labelSelectors() {
    ObjectNode selector = object("{'matchLabels':{'app':'web'},'matchExpressions':[{'key':'tier','operator':'In'},"
        + "{'key':'x','operator':'Exists','values':['a']},{'key':'y','operator':'Bad'}]}");
    assertThat(messages(ObjectMetaValidation.validateLabelSelector(selector, "spec.selector"))).containsExactly(
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or "
            + "'DoesNotExist'",
        "spec.selector.matchExpressions[2].operator: Invalid value: \"Bad\": not a valid selector operator");
    ObjectNode labels = object("{'app':'web','tier':'front'}");
    assertThat(ObjectMetaValidation.selectorMatches(object("{'matchLabels':{'app':'web'}}"), labels)).isTrue();
    assertThat(ObjectMetaValidation.selectorMatches(object("{'matchExpressions':[{'key':'tier','operator':'In',"
        + "'values':['back']}]}"), labels)).isFalse();
    assertThat(ObjectMetaValidation.selectorMatches(object("{'matchExpressions':[{'key':'db','operator':"
        + "'DoesNotExist'}]}"), labels)).isTrue();
  }

  @Test
  void formats() {
    assertThat(Formats.configMapKey("..a")).containsExactly("must not start with '..'");
    assertThat(Formats.configMapKey("a b")).containsExactly("a valid config key must consist of alphanumeric "
        + "characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
        + "'[-._a-zA-Z0-9]+')");
    assertThat(Formats.relaxedEnvVarName("A=B")).containsExactly("a valid environment variable name must consist "
        + "only of printable ASCII characters other than '='");
    assertThat(Formats.relaxedEnvVarName("1-ok.x")).isEmpty();
    assertThat(Formats.portName("--")).containsExactly("must contain at least one letter (a-z)",
        "must not contain consecutive hyphens", "must not begin or end with a hyphen");
    assertThat(Formats.portName("http")).isEmpty();
    assertThat(Formats.isIp("10.0.0.1")).isTrue();
    assertThat(Formats.isIp("10.0.0.256")).isFalse();
    assertThat(Formats.isIp("fd00::1")).isTrue();
    assertThat(Formats.isIp("example.com")).isFalse();
    assertThat(GoValue.stringMap(object("{'b':'2','a':'1'}")).text()).isEqualTo("map[string]string{\"a\":\"1\", \"b\":\"2\"}");
  }
}
