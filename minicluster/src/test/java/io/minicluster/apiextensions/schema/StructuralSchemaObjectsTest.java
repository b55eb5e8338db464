package io.minicluster.apiextensions.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Defaulting, pruning, list types, embedded resources and the published forms of a schema. */
class StructuralSchemaObjectsTest {

  /** Single quotes stand for double quotes. */
  static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  static StructuralSchema schema(String text) {
    StructuralSchema.Parsed parsed = StructuralSchema.parse(json(text), "schema");
    assertThat(parsed.errors()).extracting(FieldError::message).isEmpty();
    return parsed.schema();
  }

  static final String SPEC = "{'type':'object','properties':{'spec':{'type':'object','properties':{"
      + "'replicas':{'type':'integer','default':1},"
      + "'mode':{'type':'string','default':'fast'},"
      + "'opt':{'type':'string','nullable':true,'default':'x'},"
      + "'nested':{'type':'object','default':{},'properties':{'level':{'type':'integer','default':3}}},"
      + "'list':{'type':'array','items':{'type':'object','default':{'a':'d'},'properties':{"
      + "'a':{'type':'string'},'b':{'type':'string','default':'b'}}}},"
      + "'map':{'type':'object','additionalProperties':{'type':'object','properties':{"
      + "'v':{'type':'integer','default':7}}}},"
      + "'free':{'type':'object','x-kubernetes-preserve-unknown-fields':true,'properties':{"
      + "'known':{'type':'object','properties':{'k':{'type':'string'}}}}}}}}}";

  static Stream<Arguments> defaults() {
    return Stream.of(
        Arguments.of("absent fields and nested defaults", "{'spec':{}}",
            "{'spec':{'replicas':1,'mode':'fast','opt':'x','nested':{'level':3}}}"),
        Arguments.of("set values stay", "{'spec':{'replicas':5,'mode':'slow','nested':{'level':0}}}",
            "{'spec':{'replicas':5,'mode':'slow','nested':{'level':0},'opt':'x'}}"),
        Arguments.of("null of a non-nullable field is defaulted, of a nullable one kept",
            "{'spec':{'mode':null,'opt':null}}",
            "{'spec':{'mode':'fast','opt':null,'replicas':1,'nested':{'level':3}}}"),
        Arguments.of("array items: null items and fields inside", "{'spec':{'list':[null,{'a':'z'}]}}",
            "{'spec':{'list':[{'a':'d','b':'b'},{'a':'z','b':'b'}],'replicas':1,'mode':'fast','opt':'x',"
                + "'nested':{'level':3}}}"),
        Arguments.of("map values", "{'spec':{'map':{'one':{},'two':{'v':2}}}}",
            "{'spec':{'map':{'one':{'v':7},'two':{'v':2}},'replicas':1,'mode':'fast','opt':'x',"
                + "'nested':{'level':3}}}"),
        Arguments.of("no spec, no defaults inside it", "{'kind':'X'}", "{'kind':'X'}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defaults")
  void defaultsAreAppliedAsTheApiserverDoes(String name, String object, String expected) {
    ObjectNode node = json(object);

    schema(SPEC).applyDefaults(node);

    assertThat(node).isEqualTo(json(expected));
  }

  @Test
  void pruningDropsUnknownFieldsAndReportsTheirPaths() {
    ObjectNode node = json("{'apiVersion':'x/v1','kind':'X','metadata':{'name':'a','whatever':1},'extra':1,"
        + "'spec':{'replicas':1,'unknown':{'deep':1},'list':[{'a':'x','c':1}],'map':{'k':{'v':1,'w':2}},"
        + "'free':{'anything':{'goes':1},'known':{'k':'v','drop':1}}},'status':{}}");

    List<String> pruned = schema(SPEC).prune(node);

    assertThat(pruned).containsExactly("extra", "spec.free.known.drop", "spec.list[0].c", "spec.map.k.w",
        "spec.unknown", "status");
    assertThat(node).isEqualTo(json("{'apiVersion':'x/v1','kind':'X','metadata':{'name':'a','whatever':1},"
        + "'spec':{'replicas':1,'list':[{'a':'x'}],'map':{'k':{'v':1}},"
        + "'free':{'anything':{'goes':1},'known':{'k':'v'}}}}"));
  }

  @Test
  void embeddedResourcesKeepTheirTypeAndObjectMeta() {
    StructuralSchema schema = schema("{'type':'object','properties':{'template':{'type':'object',"
        + "'x-kubernetes-embedded-resource':true,'properties':{'spec':{'type':'object'}}}}}");
    ObjectNode node = json("{'template':{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','bogus':1},"
        + "'spec':{},'other':1}}");

    assertThat(schema.prune(node)).containsExactly("template.metadata.bogus", "template.other");
    assertThat(node).isEqualTo(json("{'template':{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},"
        + "'spec':{}}}"));
  }

  static final String LISTS = "{'type':'object','properties':{'spec':{'type':'object','properties':{"
      + "'tags':{'type':'array','x-kubernetes-list-type':'set','items':{'type':'string'}},"
      + "'ports':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['name'],"
      + "'items':{'type':'object','required':['name'],'properties':{'name':{'type':'string'},"
      + "'port':{'type':'integer'}}}},"
      + "'pairs':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['port','protocol'],"
      + "'items':{'type':'object','required':['port','protocol'],'properties':{'port':{'type':'integer'},"
      + "'protocol':{'type':'string'}}}},"
      + "'template':{'type':'object','x-kubernetes-embedded-resource':true,"
      + "'x-kubernetes-preserve-unknown-fields':true}}}}}";

  static Stream<Arguments> resources() {
    return Stream.of(
        Arguments.of("set duplicates, each repeated value once", "{'tags':['a','b','a','a','b']}",
            List.of("spec.tags[2]: Duplicate value: \"a\"", "spec.tags[4]: Duplicate value: \"b\"")),
        Arguments.of("map duplicates by key", "{'ports':[{'name':'http','port':80},{'name':'http','port':81}]}",
            List.of("spec.ports[1]: Duplicate value: map[string]interface {}{\"name\":\"http\"}")),
        Arguments.of("map duplicates by two keys",
            "{'pairs':[{'port':80,'protocol':'TCP'},{'port':80,'protocol':'UDP'},{'port':80,'protocol':'TCP'}]}",
            List.of("spec.pairs[2]: Duplicate value: map[string]interface {}{\"port\":80, \"protocol\":\"TCP\"}")),
        Arguments.of("map items must be objects", "{'ports':['http']}",
            List.of("spec.ports[0]: Invalid value: \"string\": spec.ports[0] in body must be of type object: "
                + "\"string\"", "spec.ports[0]: Invalid value: \"http\": must be an object for an array of "
                + "list-type map")),
        Arguments.of("embedded resource without apiVersion and kind", "{'template':{'spec':{}}}",
            List.of("spec.template.apiVersion: Required value", "spec.template.kind: Required value")),
        Arguments.of("embedded resource with a bad kind and group version",
            "{'template':{'apiVersion':'a/b/c','kind':'My_Kind'}}",
            List.of("spec.template.apiVersion: Invalid value: \"a/b/c\": unexpected GroupVersion string: a/b/c",
                "spec.template.kind: Invalid value: \"My_Kind\": may have mixed case, but should otherwise match: "
                    + "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                    + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
                    + "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")),
        Arguments.of("valid lists and embedded resource",
            "{'tags':['a','b'],'ports':[{'name':'a'},{'name':'b'}],'template':{'apiVersion':'v1','kind':'Pod'}}",
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resources")
  void listTypesAndEmbeddedResourcesAreValidated(String name, String spec, List<String> messages) {
    List<FieldError> errors = schema(LISTS).validate(json("{'apiVersion':'x/v1','kind':'X','spec':" + spec + "}"));

    assertThat(errors).extracting(FieldError::message).containsExactlyElementsOf(messages);
  }

  @Test
  void embeddedMetadataIsValidatedByTheGivenValidator() {
    List<FieldError> errors = schema(LISTS).validate(
        json("{'spec':{'template':{'apiVersion':'v1','kind':'Pod','metadata':{'name':'BAD'}}}}"),
        (metadata, path) -> List.of(FieldError.invalid(path + ".name", metadata.get("name"), "checked")));

    assertThat(errors).extracting(FieldError::message)
        .containsExactly("spec.template.metadata.name: Invalid value: \"BAD\": checked");
  }

  static Stream<Arguments> invalidDefaults() {
    String p = "schema.properties[spec].properties[f].default";
    return Stream.of(
        Arguments.of("{'type':'integer','default':'one'}",
            List.of(p + ": Invalid value: \"string\":  in body must be of type integer: \"string\"")),
        Arguments.of("{'type':'string','enum':['a'],'default':'b'}",
            List.of(p + ": Unsupported value: \"b\": supported values: \"a\"")),
        Arguments.of("{'type':'object','properties':{'a':{'type':'string'}},'default':{'a':'x','b':1}}",
            List.of(p + ": Invalid value: map[string]interface {}{\"a\":\"x\", \"b\":1}: must not have unknown "
                + "fields")),
        Arguments.of("{'type':'array','x-kubernetes-list-type':'set','items':{'type':'string'},'default':['a','a']}",
            List.of(p + "[1]: Duplicate value: \"a\"")));
  }

  @ParameterizedTest
  @MethodSource("invalidDefaults")
  void defaultsMustBeValidAndPruned(String field, List<String> messages) {
    StructuralSchema.Parsed parsed = StructuralSchema.parse(json("{'type':'object','properties':{'spec':{"
        + "'type':'object','properties':{'f':" + field + "}}}}"), "schema");

    assertThat(parsed.errors()).extracting(FieldError::message).containsExactlyElementsOf(messages);
  }

  @Test
  void openApiV2DropsWhatV2CannotExpress() {
    StructuralSchema schema = schema("{'type':'object','required':['spec'],'properties':{'spec':{"
        + "'type':'object','required':['a','n'],'properties':{"
        + "'a':{'type':'string','anyOf':[{'maxLength':3},{'pattern':'^x'}]},"
        + "'n':{'type':'object','nullable':true,'properties':{'x':{'type':'string'}}},"
        + "'free':{'type':'object','x-kubernetes-preserve-unknown-fields':true,'properties':{'k':{'type':'string'}}},"
        + "'port':{'x-kubernetes-int-or-string':true}}}}}");

    assertThat(schema.openAPIV2()).isEqualTo(json("{'type':'object','required':['spec'],'properties':{'spec':{"
        + "'type':'object','required':['a'],'properties':{"
        + "'a':{'type':'string'},"
        + "'n':{},"
        + "'free':{'x-kubernetes-preserve-unknown-fields':true},"
        + "'port':{'x-kubernetes-int-or-string':true}}}}}"));
    assertThat(schema.openAPIV3().at("/properties/spec/properties/a/anyOf").size()).isEqualTo(2);
  }
  static final String RATCHET = "{'type':'object','properties':{'spec':{'type':'object','properties':{"
      + "'name':{'type':'string','maxLength':3},'other':{'type':'string','maxLength':3},"
      + "'ports':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['name'],"
      + "'items':{'type':'object','required':['name'],'properties':{'name':{'type':'string'},"
      + "'port':{'type':'integer','maximum':100}}}},"
      + "'atomic':{'type':'array','items':{'type':'integer','maximum':100}}}}}}";

  static Stream<Arguments> updates() {
    return Stream.of(
        Arguments.of("unchanged invalid field", "{'name':'toolong'}", "{'name':'toolong','other':'ok'}",
            List.of()),
        Arguments.of("changed invalid field", "{'name':'toolong'}", "{'name':'toolonger'}",
            List.of("spec.name: Too long: may not be more than 3 bytes")),
        Arguments.of("new invalid field", "{}", "{'other':'toolong'}",
            List.of("spec.other: Too long: may not be more than 3 bytes")),
        Arguments.of("list-map item correlated by key", "{'ports':[{'name':'a','port':500}]}",
            "{'ports':[{'name':'b','port':1},{'name':'a','port':500}]}", List.of()),
        Arguments.of("list-map item changed", "{'ports':[{'name':'a','port':500}]}",
            "{'ports':[{'name':'a','port':501}]}",
            List.of("spec.ports[0].port: Invalid value: 501: spec.ports[0].port in body should be less than or "
                + "equal to 100")),
        Arguments.of("atomic list items are not correlated", "{'atomic':[500]}", "{'atomic':[1,500]}",
            List.of("spec.atomic[1]: Invalid value: 500: spec.atomic[1] in body should be less than or equal to "
                + "100")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("updates")
  void updatesRatchetUnchangedValues(String name, String oldSpec, String newSpec, List<String> messages) {
    List<FieldError> errors = schema(RATCHET).validateUpdate(json("{'spec':" + newSpec + "}"),
        json("{'spec':" + oldSpec + "}"));

    assertThat(errors).extracting(FieldError::message).containsExactlyElementsOf(messages);
  }
}
