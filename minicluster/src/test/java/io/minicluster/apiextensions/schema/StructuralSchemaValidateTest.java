package io.minicluster.apiextensions.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Custom resources against their schema, each error as the apiserver's 422 cause words it. */
class StructuralSchemaValidateTest {

  /** A schema with one field {@code spec.f} of the given schema (single quotes stand for double quotes). */
  static StructuralSchema field(String fieldSchema) {
    StructuralSchema.Parsed parsed = StructuralSchema.parse(Json.parseObject(("{'type':'object','properties':{"
        + "'spec':{'type':'object','properties':{'f':" + fieldSchema + "}}}}").replace('\'', '"')), "schema");
    assertThat(parsed.errors()).isEmpty();
    return parsed.schema();
  }

  static List<String> validate(StructuralSchema schema, String value) {
    return schema.validate(Json.parseObject(("{'apiVersion':'x/v1','kind':'X','spec':{'f':" + value + "}}")
        .replace('\'', '"'))).stream().map(FieldError::message).toList();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("string for an integer", "{'type':'integer'}", "'string'",
            List.of("spec.f: Invalid value: \"string\": spec.f in body must be of type integer: \"string\"")),
        Arguments.of("integer for a string", "{'type':'string'}", "1",
            List.of("spec.f: Invalid value: \"integer\": spec.f in body must be of type string: \"integer\"")),
        Arguments.of("object for an array", "{'type':'array','items':{'type':'string'}}", "{}",
            List.of("spec.f: Invalid value: \"object\": spec.f in body must be of type array: \"object\"")),
        Arguments.of("fraction for an integer", "{'type':'integer'}", "1.5",
            List.of("spec.f: Invalid value: \"number\": spec.f in body must be of type integer: \"number\"")),
        Arguments.of("whole float for an integer", "{'type':'integer'}", "2.0", List.of()),
        Arguments.of("integer for a number", "{'type':'number'}", "2", List.of()),
        Arguments.of("string for a boolean", "{'type':'boolean'}", "'true'",
            List.of("spec.f: Invalid value: \"string\": spec.f in body must be of type boolean: \"string\"")),
        Arguments.of("null for a non-nullable field", "{'type':'string'}", "null",
            List.of("spec.f: Invalid value: \"null\": spec.f in body must be of type string: \"null\"")),
        Arguments.of("null for a nullable field", "{'type':'string','nullable':true}", "null", List.of()),
        Arguments.of("int-or-string given a boolean", "{'x-kubernetes-int-or-string':true}", "true",
            List.of("spec.f: Invalid value: \"boolean\": spec.f in body must be of type integer,string: "
                + "\"boolean\"")),
        Arguments.of("int-or-string given a string", "{'x-kubernetes-int-or-string':true}", "'80%'", List.of()),
        Arguments.of("enum", "{'type':'string','enum':['red','blue']}", "'pink'",
            List.of("spec.f: Unsupported value: \"pink\": supported values: \"red\", \"blue\"")),
        Arguments.of("numeric enum", "{'type':'integer','enum':[1,2]}", "3",
            List.of("spec.f: Unsupported value: 3: supported values: \"1\", \"2\"")),
        Arguments.of("pattern", "{'type':'string','pattern':'^[a-z]+$'}", "'ABC'",
            List.of("spec.f: Invalid value: \"ABC\": spec.f in body should match '^[a-z]+$'")),
        Arguments.of("minLength", "{'type':'string','minLength':3}", "'ab'",
            List.of("spec.f: Invalid value: \"ab\": spec.f in body should be at least 3 chars long")),
        Arguments.of("maxLength counts characters", "{'type':'string','maxLength':3}", "'äöüß'",
            List.of("spec.f: Too long: may not be more than 3 bytes")),
        Arguments.of("minimum", "{'type':'integer','minimum':1}", "0",
            List.of("spec.f: Invalid value: 0: spec.f in body should be greater than or equal to 1")),
        Arguments.of("exclusive minimum", "{'type':'integer','minimum':1,'exclusiveMinimum':true}", "1",
            List.of("spec.f: Invalid value: 1: spec.f in body should be greater than 1")),
        Arguments.of("maximum of a number", "{'type':'number','maximum':2.5}", "3",
            List.of("spec.f: Invalid value: 3: spec.f in body should be less than or equal to 2.5")),
        Arguments.of("exclusive maximum", "{'type':'number','maximum':2.5,'exclusiveMaximum':true}", "2.5",
            List.of("spec.f: Invalid value: 2.5: spec.f in body should be less than 2.5")),
        Arguments.of("multipleOf", "{'type':'integer','multipleOf':5}", "12",
            List.of("spec.f: Invalid value: 12: spec.f in body should be a multiple of 5")),
        Arguments.of("minItems", "{'type':'array','minItems':2,'items':{'type':'string'}}", "['a']",
            List.of("spec.f: Invalid value: 1: spec.f in body should have at least 2 items")),
        Arguments.of("maxItems", "{'type':'array','maxItems':2,'items':{'type':'string'}}", "['a','b','c']",
            List.of("spec.f: Too many: 3: must have at most 2 items")),
        Arguments.of("items are validated with their index", "{'type':'array','items':{'type':'string'}}",
            "['a',1]",
            List.of("spec.f[1]: Invalid value: \"integer\": spec.f[1] in body must be of type string: \"integer\"")),
        Arguments.of("minProperties", "{'type':'object','minProperties':2,'additionalProperties':{'type':'string'}}",
            "{'a':'b'}", List.of("spec.f: Invalid value: 1: spec.f in body should have at least 2 properties")),
        Arguments.of("maxProperties", "{'type':'object','maxProperties':1,'additionalProperties':{'type':'string'}}",
            "{'a':'b','c':'d'}", List.of("spec.f: Too many: 2: must have at most 1 items")),
        Arguments.of("map values", "{'type':'object','additionalProperties':{'type':'string'}}", "{'a':1}",
            List.of("spec.f.a: Invalid value: \"integer\": spec.f.a in body must be of type string: \"integer\"")),
        Arguments.of("required", "{'type':'object','required':['name'],'properties':{'name':{'type':'string'}}}",
            "{}", List.of("spec.f.name: Required value")),
        Arguments.of("date-time format", "{'type':'string','format':'date-time'}", "'yesterday'",
            List.of("spec.f: Invalid value: \"yesterday\": spec.f in body must be of type date-time: "
                + "\"yesterday\"")),
        Arguments.of("valid date-time", "{'type':'string','format':'date-time'}", "'2024-01-02T03:04:05Z'",
            List.of()),
        Arguments.of("date format", "{'type':'string','format':'date'}", "'2024-13-01'",
            List.of("spec.f: Invalid value: \"2024-13-01\": spec.f in body must be of type date: \"2024-13-01\"")),
        Arguments.of("byte format", "{'type':'string','format':'byte'}", "'not base64!'",
            List.of("spec.f: Invalid value: \"not base64!\": spec.f in body must be of type byte: "
                + "\"not base64!\"")),
        Arguments.of("uuid format", "{'type':'string','format':'uuid'}", "'123'",
            List.of("spec.f: Invalid value: \"123\": spec.f in body must be of type uuid: \"123\"")),
        Arguments.of("number for a date", "{'type':'string','format':'date'}", "5",
            List.of("spec.f: Invalid value: \"int64\": spec.f in body must be of type date: \"int64\"")),
        Arguments.of("float bound printed as Go's %v", "{'type':'number','minimum':1000000}", "0.5",
            List.of("spec.f: Invalid value: 0.5: spec.f in body should be greater than or equal to 1e+06")),
        Arguments.of("integer bound of an integer printed whole", "{'type':'integer','minimum':1000000}", "5",
            List.of("spec.f: Invalid value: 5: spec.f in body should be greater than or equal to 1000000")),
        Arguments.of("small float bound", "{'type':'number','maximum':0.00001}", "1",
            List.of("spec.f: Invalid value: 1: spec.f in body should be less than or equal to 1e-05")),
        Arguments.of("int32 is not checked", "{'type':'integer','format':'int32'}", "9999999999", List.of()),
        Arguments.of("unknown fields are no validation error", "{'type':'object','properties':{}}",
            "{'x':1}", List.of()),
        Arguments.of("anyOf", "{'type':'string','anyOf':[{'maxLength':1},{'pattern':'^x'}]}", "'abc'",
            List.of("<nil>: Invalid value: \"\": \"spec.f\" must validate at least one schema (anyOf)",
                "spec.f: Too long: may not be more than 1 bytes")),
        Arguments.of("anyOf satisfied", "{'type':'string','anyOf':[{'maxLength':1},{'pattern':'^a'}]}", "'abc'",
            List.of()),
        Arguments.of("oneOf with two valid alternatives",
            "{'type':'string','oneOf':[{'maxLength':5},{'pattern':'^a'}]}", "'abc'",
            List.of("<nil>: Invalid value: \"\": \"spec.f\" must validate one and only one schema (oneOf). "
                + "Found 2 valid alternatives")),
        Arguments.of("allOf", "{'type':'string','allOf':[{'maxLength':5},{'pattern':'^b'}]}", "'abc'",
            List.of("spec.f: Invalid value: \"abc\": spec.f in body should match '^b'",
                "<nil>: Invalid value: \"\": \"spec.f\" must validate all the schemas (allOf)")),
        Arguments.of("not", "{'type':'string','not':{'pattern':'^a'}}", "'abc'",
            List.of("<nil>: Invalid value: \"\": \"spec.f\" must not validate the schema (not)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void valuesAreValidatedWithTheApiserversMessages(String name, String fieldSchema, String value,
      List<String> messages) {
    assertThat(validate(field(fieldSchema), value)).containsExactlyElementsOf(messages);
  }
}
