package io.minicluster.apiserver.patch;

import static io.minicluster.apiserver.patch.PatchTestSupport.body;
import static io.minicluster.apiserver.patch.PatchTestSupport.deployment;
import static io.minicluster.apiserver.patch.PatchTestSupport.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.apiserver.schema.FieldValidation;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A patched document is decoded into the endpoint's type, as the apiserver's patch handler decodes it. */
class PatchedTypeTest {
  private static final String CONFIG_MAP = "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'x',"
      + "'namespace':'default','labels':{'a':'1'}},'data':{'k':'v'}}";
  private static final String DATA_ERROR =
      "json: cannot unmarshal string into Go struct field ConfigMap.data of type map[string]string";
  private static final String LABELS_ERROR =
      "json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string";

  private static ApiException rejection(PatchType type, ObjectNode original, String patch, String apiVersion,
      String kind) {
    ObjectNode before = original.deepCopy();
    try {
      Patches.apply(type, original, body(patch), apiVersion, kind, FieldValidation.STRICT);
    } catch (ApiException e) {
      assertThat(original).as("original untouched").isEqualTo(before);
      return e;
    }
    throw new AssertionError("accepted " + patch);
  }

  /** Patch type, patch, Go's decoding error of the patched JSON. */
  static Stream<Arguments> jsonDecoded() {
    return Stream.of(
        Arguments.of(PatchType.MERGE, "{'data':'oops'}", DATA_ERROR),
        Arguments.of(PatchType.MERGE, "{'metadata':{'labels':'x'}}", LABELS_ERROR),
        Arguments.of(PatchType.MERGE, "{'data':{'k':1}}",
            "json: cannot unmarshal number into Go struct field ConfigMap.data.k of type string"),
        Arguments.of(PatchType.JSON, "[{'op':'replace','path':'/data','value':'oops'}]", DATA_ERROR),
        Arguments.of(PatchType.JSON, "[{'op':'add','path':'/metadata/labels','value':['x']}]",
            "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string"),
        Arguments.of(PatchType.JSON, "[{'op':'replace','path':'/metadata/creationTimestamp','value':'today'}]",
            "parsing time \"today\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"today\" as \"2006\""));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jsonDecoded")
  void jsonAndMergePatchesOfTheWrongShapeAreInvalid(PatchType type, String patch, String error) {
    ApiException e = rejection(type, object(CONFIG_MAP), patch, "v1", "ConfigMap");

    assertThat(e.code()).isEqualTo(422);
    assertThat(e.reason()).isEqualTo("Invalid");
    assertThat(e.getMessage()).startsWith(" \"\" is invalid: patch: Invalid value: \"{\\\"apiVersion\\\":\\\"v1\\\","
        + "\\\"kind\\\":\\\"ConfigMap\\\"").endsWith("\": " + error);
    assertThat(e.causes()).singleElement().satisfies(cause -> {
      assertThat(cause.field()).isEqualTo("patch");
      assertThat(cause.reason()).isEqualTo("FieldValueInvalid");
    });
  }

  @Test
  void theInvalidValueOfAMergePatchIsThePatchedDocument() {
    ApiException e = rejection(PatchType.MERGE, object("{'apiVersion':'v1','kind':'ConfigMap','metadata':"
        + "{'name':'x'}}"), "{'data':'oops'}", "v1", "ConfigMap");

    assertThat(e.getMessage()).isEqualTo(" \"\" is invalid: patch: Invalid value: \"{\\\"apiVersion\\\":\\\"v1\\\","
        + "\\\"kind\\\":\\\"ConfigMap\\\",\\\"metadata\\\":{\\\"name\\\":\\\"x\\\"},\\\"data\\\":\\\"oops\\\"}\": "
        + DATA_ERROR);
  }

  /** Original, patch, the unstructured converter's error (apiVersion/kind are those of the original). */
  static Stream<Arguments> strategicMergeDecoded() {
    return Stream.of(
        Arguments.of(CONFIG_MAP, "{'data':'oops'}", "map[data:oops]", "cannot restore map from string"),
        Arguments.of(CONFIG_MAP, "{'metadata':{'labels':'x'}}", "map[metadata:map[labels:x]]",
            "cannot restore map from string"),
        Arguments.of(CONFIG_MAP, "{'metadata':'x'}", "map[metadata:x]", "cannot restore struct from: string"),
        Arguments.of(CONFIG_MAP, "{'data':{'k':true}}", "map[data:map[k:true]]", "unrecognized type: string"),
        Arguments.of(CONFIG_MAP, "{'data':{'k':7}}", "map[data:map[k:7]]", "cannot convert int64 to string"),
        Arguments.of(deployment("{'replicas':1}").toString(), "{'spec':{'replicas':'3'}}",
            "map[spec:map[replicas:3]]", "unrecognized type: int32"),
        Arguments.of(deployment("{'replicas':1}").toString(), "{'spec':{'replicas':1.5}}",
            "map[spec:map[replicas:1.5]]", "cannot convert float64 to int32"),
        Arguments.of(deployment("{'template':{'spec':{'containers':[{'name':'c'}]}}}").toString(),
            "{'spec':{'template':{'spec':{'containers':[{'name':'c','ports':[{'containerPort':'80'}]}]}}}}",
            "map[spec:map[template:map[spec:map[containers:[map[name:c ports:[map[containerPort:80]]]]]]]]",
            "unrecognized type: int32"),
        Arguments.of(deployment("{'template':{'spec':{'containers':[{'name':'c'}]}}}").toString(),
            "{'spec':{'template':{'spec':{'containers':'c'}}}}",
            "map[spec:map[template:map[spec:map[containers:c]]]]", "cannot restore slice from string"),
        Arguments.of(deployment("{'strategy':{}}").toString(),
            "{'spec':{'strategy':{'rollingUpdate':{'maxSurge':true}}}}",
            "map[spec:map[strategy:map[rollingUpdate:map[maxSurge:true]]]]",
            "json: cannot unmarshal bool into Go value of type int32"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("strategicMergeDecoded")
  void strategicMergePatchesOfTheWrongShapeAreInvalid(String original, String patch, String patchMap,
      String error) {
    ObjectNode current = object(original);

    ApiException e = rejection(PatchType.STRATEGIC_MERGE, current, patch, current.get("apiVersion").asText(),
        current.get("kind").asText());

    assertThat(e.code()).isEqualTo(422);
    assertThat(e.reason()).isEqualTo("Invalid");
    assertThat(e.getMessage()).isEqualTo(" \"\" is invalid: patch: Invalid value: \"" + patchMap + "\": " + error);
  }

  @Test
  void aPatchedScaleIsDecodedAsAScale() {
    ObjectNode scale = object("{'kind':'Scale','apiVersion':'autoscaling/v1','metadata':{'name':'web'},"
        + "'spec':{'replicas':1},'status':{'replicas':1}}");

    assertThat(rejection(PatchType.MERGE, scale, "{'spec':'x'}", "autoscaling/v1", "Scale").getMessage())
        .endsWith("\": json: cannot unmarshal string into Go struct field Scale.spec of type v1.ScaleSpec");
    assertThat(rejection(PatchType.STRATEGIC_MERGE, scale, "{'spec':{'replicas':'3'}}", "autoscaling/v1", "Scale")
        .getMessage()).endsWith("\"map[spec:map[replicas:3]]\": unrecognized type: int32");
  }

  @Test
  void fieldsThePatchAddsOutsideTheTypeFollowFieldValidation() {
    ObjectNode original = object(CONFIG_MAP);
    original.put("legacy", 1);

    for (PatchType type : new PatchType[] {PatchType.MERGE, PatchType.STRATEGIC_MERGE}) {
      String patch = "{'zeta':1,'data':{'k':'w'},'alpha':{'b':2}}";
      assertThat(rejection(type, original, patch, "v1", "ConfigMap").getMessage()).as(type.name())
          .endsWith(": strict decoding error: " + (type == PatchType.MERGE
              ? "unknown field \"zeta\", unknown field \"alpha\"" : "unknown field \"alpha\", unknown field \"zeta\""));

      Patches.Patched warned = Patches.apply(type, original, body(patch), "v1", "ConfigMap", FieldValidation.WARN);
      assertThat(warned.warnings()).as(type.name()).containsExactlyInAnyOrder("unknown field \"zeta\"",
          "unknown field \"alpha\"");
      assertThat(warned.object().path("data").path("k").asText()).isEqualTo("w");

      assertThat(Patches.apply(type, original, body(patch), "v1", "ConfigMap", FieldValidation.IGNORE).warnings())
          .isEmpty();
      assertThat(Patches.apply(type, original, body("{'data':{'k':'w'}}"), "v1", "ConfigMap",
          FieldValidation.STRICT).warnings()).as("a field the object already had is not the patch's").isEmpty();
    }
  }

  @Test
  void aServerSideApplyConfigurationOfTheWrongShapeFailsItsTypedConversion() {
    assertThatThrownBy(() -> Patches.checkApplyConfiguration(object("{'apiVersion':'v1','kind':'ConfigMap',"
        + "'metadata':{'name':'x','namespace':'ns'},'data':'oops'}"), "v1", "ConfigMap"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(500);
          assertThat(e.reason()).isNull();
          assertThat(e.getMessage()).isEqualTo(
              "failed to create typed patch object (ns/x; /v1, Kind=ConfigMap): .data: expected map, got &{oops}");
        });
    assertThatThrownBy(() -> Patches.checkApplyConfiguration(object("{'apiVersion':'apps/v1','kind':'Deployment',"
        + "'metadata':{'name':'web'},'spec':{'replicas':'3','paused':1,'template':{'spec':{'containers':"
        + "[{'name':'c','image':7}]}}},'extra':{}}"), "apps/v1", "Deployment"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo(
            "failed to create typed patch object (/web; apps/v1, Kind=Deployment): errors:\n"
                + "  .spec.replicas: expected numeric (int or float), got string\n"
                + "  .spec.paused: expected boolean, got &{1}\n"
                + "  .spec.template.spec.containers[0].image: expected string, got "
                + "&value.valueUnstructured{Value:7}\n"
                + "  .extra: field not declared in schema"));

    Patches.checkApplyConfiguration(object(CONFIG_MAP), "v1", "ConfigMap");
  }
}
