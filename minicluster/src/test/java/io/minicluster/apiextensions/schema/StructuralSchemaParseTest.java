package io.minicluster.apiextensions.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The schema checks of a CRD version, each message as apiextensions-apiserver words it. */
class StructuralSchemaParseTest {
  static final String P = "spec.versions[0].schema.openAPIV3Schema";

  /** Single quotes in the test schemas stand for double quotes. */
  static StructuralSchema.Parsed parse(String schema) {
    return StructuralSchema.parse(Json.parseObject(schema.replace('\'', '"')), P);
  }

  static Stream<Arguments> invalidSchemas() {
    return Stream.of(
        Arguments.of("root without type", "{}",
            List.of(P + ".type: Required value: must not be empty at the root")),
        Arguments.of("root not an object", "{'type':'array','items':{'type':'string'}}",
            List.of(P + ".type: Invalid value: \"array\": must be object at the root")),
        Arguments.of("field without type",
            "{'type':'object','properties':{'spec':{'properties':{'a':{'type':'string'}}}}}",
            List.of(P + ".properties[spec].type: Required value: must not be empty for specified object fields")),
        Arguments.of("array without items", "{'type':'object','properties':{'list':{'type':'array'}}}",
            List.of(P + ".properties[list].items: Required value: must be specified")),
        Arguments.of("items without type", "{'type':'object','properties':{'list':{'type':'array','items':{}}}}",
            List.of(P + ".properties[list].items.type: Required value: must not be empty for specified array items")),
        Arguments.of("type inside anyOf",
            "{'type':'object','properties':{'a':{'type':'string','anyOf':[{'type':'string'},{'maxLength':3}]}}}",
            List.of(P + ".properties[a].anyOf[0].type: Forbidden: must be empty to be structural")),
        Arguments.of("value validation names an unspecified field",
            "{'type':'object','properties':{'spec':{'type':'object'}},'anyOf':[{'properties':{'spec':{"
                + "'properties':{'x':{'minLength':1}}}}}]}",
            List.of(P + ".properties[spec].properties[x]: Required value: because it is defined in "
                + P + ".anyOf[0].properties[spec].properties[x]")),
        Arguments.of("nested forbidden fields",
            "{'type':'object','properties':{'a':{'type':'object','not':{'description':'d','nullable':true,"
                + "'default':1,'x-kubernetes-preserve-unknown-fields':true}}}}",
            List.of(P + ".properties[a].not.default: Forbidden: must be undefined to be structural",
                P + ".properties[a].not.description: Forbidden: must be empty to be structural",
                P + ".properties[a].not.nullable: Forbidden: must be false to be structural",
                P + ".properties[a].not.x-kubernetes-preserve-unknown-fields: Forbidden: must be false to be structural")),
        Arguments.of("additionalProperties with properties",
            "{'type':'object','properties':{'m':{'type':'object','properties':{'a':{'type':'string'}},"
                + "'additionalProperties':{'type':'string'}}}}",
            List.of(P + ".properties[m].additionalProperties: Forbidden: additionalProperties and properties are "
                + "mutual exclusive")),
        Arguments.of("additionalProperties at the root",
            "{'type':'object','additionalProperties':{'type':'string'}}",
            List.of(P + ".additionalProperties: Forbidden: must not be used at the root")),
        Arguments.of("metadata restricting labels",
            "{'type':'object','properties':{'metadata':{'type':'object','properties':{'labels':{'type':'object',"
                + "'additionalProperties':{'type':'string'}}}}}}",
            List.of(P + ".properties[metadata]: Forbidden: must not specify anything other than name and "
                + "generateName, but metadata is implicitly specified")),
        Arguments.of("metadata not an object", "{'type':'object','properties':{'metadata':{'type':'string'}}}",
            List.of(P + ".properties[metadata].type: Invalid value: \"string\": must be object")),
        Arguments.of("kind not a string", "{'type':'object','properties':{'kind':{'type':'integer'}}}",
            List.of(P + ".properties[kind].type: Invalid value: \"integer\": must be string")),
        Arguments.of("default in top-level metadata",
            "{'type':'object','properties':{'metadata':{'type':'object','default':{}}}}",
            List.of(P + ".properties[metadata].default: Forbidden: must not be set in top-level metadata")),
        Arguments.of("metadata in a nested context",
            "{'type':'object','properties':{'a':{'type':'object','properties':{'metadata':{'type':'object'}},"
                + "'allOf':[{'properties':{'metadata':{'minProperties':1}}}]}}}",
            List.of(P + ".properties[a].allOf[0].properties[metadata]: Forbidden: must not be specified in a "
                + "nested context")),
        Arguments.of("a pattern Go's regexp refuses (a lookahead)",
            "{'type':'object','properties':{'a':{'type':'string','pattern':'^(?!kube-)'}}}",
            List.of(P + ".properties[a].pattern: Invalid value: \"^(?!kube-)\": must be a valid regular expression, "
                + "but isn't: error parsing regexp: invalid or unsupported Perl syntax: `(?!`")),
        Arguments.of("unknown type", "{'type':'object','properties':{'a':{'type':'text'}}}",
            List.of(P + ".properties[a].type: Unsupported value: \"text\": supported values: \"array\", "
                + "\"boolean\", \"integer\", \"number\", \"object\", \"string\"")),
        Arguments.of("null type", "{'type':'object','properties':{'a':{'type':'null'}}}",
            List.of(P + ".properties[a].type: Forbidden: type cannot be set to null, use nullable as an alternative")),
        Arguments.of("nullable root", "{'type':'object','nullable':true}",
            List.of(P + ".nullable: Forbidden: nullable cannot be true at the root")),
        Arguments.of("preserve-unknown-fields false",
            "{'type':'object','x-kubernetes-preserve-unknown-fields':false}",
            List.of(P + ".x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined")),
        Arguments.of("int-or-string with preserve-unknown-fields",
            "{'type':'object','properties':{'a':{'x-kubernetes-int-or-string':true,"
                + "'x-kubernetes-preserve-unknown-fields':true}}}",
            List.of(P + ".properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if "
                + "x-kubernetes-int-or-string is true")),
        Arguments.of("embedded resource without type",
            "{'type':'object','properties':{'e':{'x-kubernetes-embedded-resource':true,"
                + "'x-kubernetes-preserve-unknown-fields':true}}}",
            List.of(P + ".properties[e].type: Required value: must be object if x-kubernetes-embedded-resource is "
                + "true")),
        Arguments.of("embedded resource without properties",
            "{'type':'object','properties':{'e':{'type':'object','x-kubernetes-embedded-resource':true}}}",
            List.of(P + ".properties[e].properties: Required value: must not be empty if "
                + "x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields")),
        Arguments.of("uniqueItems",
            "{'type':'object','properties':{'l':{'type':'array','uniqueItems':true,'items':{'type':'string'}}}}",
            List.of(P + ".properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime "
                + "complexity becomes quadratic")),
        Arguments.of("$ref", "{'type':'object','properties':{'a':{'type':'object','$ref':'#/x'}}}",
            List.of(P + ".properties[a].$ref: Forbidden: $ref is not supported")),
        Arguments.of("items as an array",
            "{'type':'object','properties':{'l':{'type':'array','items':[{'type':'string'}]}}}",
            List.of(P + ".properties[l].items: Required value: must be specified",
                P + ".properties[l].items: Forbidden: items must be a schema object and not an array")),
        Arguments.of("list-type map without keys",
            "{'type':'object','properties':{'l':{'type':'array','x-kubernetes-list-type':'map',"
                + "'items':{'type':'object','properties':{'name':{'type':'string'}}}}}}",
            List.of(P + ".properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if "
                + "x-kubernetes-list-type is map")),
        Arguments.of("list-map keys not item properties",
            "{'type':'object','properties':{'l':{'type':'array','x-kubernetes-list-type':'map',"
                + "'x-kubernetes-list-map-keys':['id'],"
                + "'items':{'type':'object','properties':{'name':{'type':'string'}}}}}}",
            List.of(P + ".properties[l].x-kubernetes-list-map-keys: Invalid value: []string{\"id\"}: entries must "
                + "all be names of item properties")),
        Arguments.of("list-map key neither required nor defaulted",
            "{'type':'object','properties':{'l':{'type':'array','x-kubernetes-list-type':'map',"
                + "'x-kubernetes-list-map-keys':['name'],"
                + "'items':{'type':'object','properties':{'name':{'type':'string'}}}}}}",
            List.of(P + ".properties[l].items.properties[name].default: Required value: this property is in "
                + "x-kubernetes-list-map-keys, so it must have a default or be a required property")),
        Arguments.of("unknown list type",
            "{'type':'object','properties':{'l':{'type':'array','x-kubernetes-list-type':'bag',"
                + "'items':{'type':'string'}}}}",
            List.of(P + ".properties[l].x-kubernetes-list-type: Unsupported value: \"bag\": supported values: "
                + "\"atomic\", \"set\", \"map\"")),
        Arguments.of("list type on a string", "{'type':'object','properties':{'l':{'type':'string',"
                + "'x-kubernetes-list-type':'set'}}}",
            List.of(P + ".properties[l].type: Invalid value: \"string\": must be array if x-kubernetes-list-type is "
                + "specified")),
        Arguments.of("CEL rules",
            "{'type':'object','properties':{'spec':{'type':'object','x-kubernetes-validations':"
                + "[{'rule':'self.a > 0'}]}}}",
            List.of(P + ".properties[spec].x-kubernetes-validations: Forbidden: x-kubernetes-validations are not "
                + "supported by minicluster")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSchemas")
  void invalidSchemasAreRejectedWithTheApiserversMessages(String name, String schema, List<String> messages) {
    StructuralSchema.Parsed parsed = parse(schema);

    assertThat(parsed.valid()).isFalse();
    assertThat(parsed.errors()).extracting(FieldError::message).containsExactlyElementsOf(messages);
  }

  static Stream<Arguments> validSchemas() {
    return Stream.of(
        Arguments.of("a typical schema", "{'type':'object','properties':{'spec':{'type':'object','required':['a'],"
            + "'properties':{'a':{'type':'string','pattern':'^[a-z]+$'},'n':{'type':'integer','minimum':1,"
            + "'default':1},'l':{'type':'array','items':{'type':'string'}},'m':{'type':'object',"
            + "'additionalProperties':{'type':'string'}}}},'status':{'type':'object',"
            + "'x-kubernetes-preserve-unknown-fields':true}}}"),
        Arguments.of("int-or-string with the anyOf pattern", "{'type':'object','properties':{'port':{"
            + "'x-kubernetes-int-or-string':true,'anyOf':[{'type':'integer'},{'type':'string'}]}}}"),
        Arguments.of("int-or-string with the allOf pattern", "{'type':'object','properties':{'port':{"
            + "'x-kubernetes-int-or-string':true,'allOf':[{'anyOf':[{'type':'integer'},{'type':'string'}]},"
            + "{'pattern':'^[0-9]+$'}]}}}"),
        Arguments.of("metadata restricting name", "{'type':'object','properties':{'metadata':{'type':'object',"
            + "'properties':{'name':{'type':'string','maxLength':10}}}}}"),
        Arguments.of("untyped field preserving unknown fields", "{'type':'object','properties':{'any':{"
            + "'x-kubernetes-preserve-unknown-fields':true}}}"),
        Arguments.of("embedded resource", "{'type':'object','properties':{'template':{'type':'object',"
            + "'x-kubernetes-embedded-resource':true,'x-kubernetes-preserve-unknown-fields':true}}}"),
        Arguments.of("list-map", "{'type':'object','properties':{'ports':{'type':'array','x-kubernetes-list-type':"
            + "'map','x-kubernetes-list-map-keys':['name'],'items':{'type':'object','required':['name'],"
            + "'properties':{'name':{'type':'string'}}}}}}"),
        Arguments.of("additionalProperties true with properties", "{'type':'object','properties':{'m':{"
            + "'type':'object','properties':{'a':{'type':'string'}},'additionalProperties':true}}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validSchemas")
  void structuralSchemasAreAccepted(String name, String schema) {
    StructuralSchema.Parsed parsed = parse(schema);

    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.schema()).isNotNull();
  }
}
