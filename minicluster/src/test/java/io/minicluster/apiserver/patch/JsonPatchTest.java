package io.minicluster.apiserver.patch;

import static io.minicluster.apiserver.patch.PatchTestSupport.body;
import static io.minicluster.apiserver.patch.PatchTestSupport.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonPatchTest {

  private static final String CONFIG_MAP =
      "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'a':'1'}},'data':{'k':'v','n':'1'},"
          + "'list':[1,2,3]}";

  /** Patch body and the expected object (as a change of CONFIG_MAP). */
  static Stream<Arguments> applied() {
    return Stream.of(
        Arguments.of("add a label", "[{'op':'add','path':'/metadata/labels/b','value':'2'}]",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'a':'1','b':'2'}},"
                + "'data':{'k':'v','n':'1'},'list':[1,2,3]}"),
        Arguments.of("remove, replace, append", "[{'op':'remove','path':'/data/n'},"
                + "{'op':'replace','path':'/data/k','value':'w'},{'op':'add','path':'/list/-','value':4}]",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'a':'1'}},"
                + "'data':{'k':'w'},'list':[1,2,3,4]}"),
        Arguments.of("insert, move, copy", "[{'op':'add','path':'/list/0','value':0},"
                + "{'op':'move','from':'/data/n','path':'/data/m'},{'op':'copy','from':'/data/k','path':'/data/j'}]",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'a':'1'}},"
                + "'data':{'k':'v','m':'1','j':'v'},'list':[0,1,2,3]}"),
        Arguments.of("passing tests", "[{'op':'test','path':'/data/k','value':'v'},"
                + "{'op':'test','path':'/list','value':[1,2,3]},{'op':'test','path':'/metadata/uid','value':null},"
                + "{'op':'test','path':'/metadata/labels','value':{'a':'1'}}]",
            CONFIG_MAP),
        Arguments.of("replace of a missing member adds it (evanphx v4)",
            "[{'op':'replace','path':'/data/new','value':'x'}]",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'a':'1'}},"
                + "'data':{'k':'v','n':'1','new':'x'},'list':[1,2,3]}"),
        Arguments.of("escaped pointer tokens", "[{'op':'add','path':'/metadata/labels/app.kubernetes.io~1name',"
                + "'value':'x'}]",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'a':'1',"
                + "'app.kubernetes.io/name':'x'}},'data':{'k':'v','n':'1'},'list':[1,2,3]}"),
        Arguments.of("adding null drops the member", "[{'op':'add','path':'/data/z','value':null}]", CONFIG_MAP),
        Arguments.of("empty patch", "[]", CONFIG_MAP),
        Arguments.of("null patch", "null", CONFIG_MAP));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("applied")
  void applies(String name, String patch, String expected) {
    ObjectNode original = object(CONFIG_MAP);

    ObjectNode result = Patches.apply(PatchType.JSON, original, body(patch), "v1", "ConfigMap");

    assertThat(result).isEqualTo(object(expected));
    assertThat(original).as("original untouched").isEqualTo(object(CONFIG_MAP));
  }

  /** Patch body, HTTP code, message prefix. */
  static Stream<Arguments> rejected() {
    String unprocessable = PatchErrors.UNPROCESSABLE_MESSAGE;
    return Stream.of(
        Arguments.of("failing test", "[{'op':'test','path':'/data/k','value':'other'}]", 422, unprocessable),
        Arguments.of("test of a missing member", "[{'op':'test','path':'/data/zz','value':'x'}]", 422,
            unprocessable),
        Arguments.of("test compares number text", "[{'op':'test','path':'/list/0','value':1.0}]", 422,
            unprocessable),
        Arguments.of("failing test after a change", "[{'op':'add','path':'/data/q','value':'1'},"
            + "{'op':'test','path':'/data/q','value':'2'}]", 422, unprocessable),
        Arguments.of("remove missing member", "[{'op':'remove','path':'/data/zz'}]", 422, unprocessable),
        Arguments.of("add below a missing parent", "[{'op':'add','path':'/spec/x/y','value':1}]", 422,
            unprocessable),
        Arguments.of("index out of range", "[{'op':'replace','path':'/list/9','value':1}]", 422, unprocessable),
        Arguments.of("unknown op", "[{'op':'frobnicate','path':'/data/k'}]", 422, unprocessable),
        Arguments.of("missing path", "[{'op':'add','value':1}]", 422, unprocessable),
        Arguments.of("null operation", "[null]", 422, unprocessable),
        Arguments.of("path without a slash", "[{'op':'add','path':'data','value':1}]", 422, unprocessable),
        Arguments.of("not an array", "{'op':'add'}", 400,
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch"),
        Arguments.of("operation not an object", "[1]", 400,
            "json: cannot unmarshal number into Go value of type jsonpatch.Operation"),
        Arguments.of("not JSON", "[{", 400, ""),
        Arguments.of("root replaced by an array", "[{'op':'replace','path':'','value':[1]}]", 422,
            " \"\" is invalid: patch: Invalid value: \"[1]\": couldn't get version/kind"),
        Arguments.of("kind changed", "[{'op':'replace','path':'/kind','value':'Secret'}]", 422,
            " \"\" is invalid: patch: Invalid value: "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejects(String name, String patch, int code, String message) {
    assertThatThrownBy(() -> Patches.apply(PatchType.JSON, object(CONFIG_MAP), body(patch), "v1", "ConfigMap"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(code);
          assertThat(e.getMessage()).startsWith(message);
          assertThat(e.reason()).isEqualTo(code == 400 ? "BadRequest" : "Invalid");
        });
  }

  @Test
  void invalidResultNamesTheFieldPatch() {
    assertThatThrownBy(() -> Patches.apply(PatchType.JSON, object(CONFIG_MAP),
        body("[{'op':'replace','path':'','value':'x'}]"), "v1", "ConfigMap"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.causes()).hasSize(1);
          assertThat(e.causes().get(0).field()).isEqualTo("patch");
          assertThat(e.causes().get(0).reason()).isEqualTo("FieldValueInvalid");
        });
  }

  @Test
  void rootReplacementWithAnObjectOfTheSameKindWorks() {
    ObjectNode result = Patches.apply(PatchType.JSON, object(CONFIG_MAP),
        body("[{'op':'replace','path':'','value':{'metadata':{'name':'c'},'data':{'x':'y'}}}]"), "v1", "ConfigMap");

    assertThat(result).isEqualTo(object("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},"
        + "'data':{'x':'y'}}"));
  }

  @Test
  void kubectlRolloutUndoPatch() {
    ObjectNode deployment = object("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
        + "'annotations':{'deployment.kubernetes.io/revision':'2'}},'spec':{'replicas':2,'template':"
        + "{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'web','image':'nginx:2'}]}}}}");
    String patch = "[{'op':'replace','path':'/spec/template','value':{'metadata':{'labels':{'app':'web'}},"
        + "'spec':{'containers':[{'name':'web','image':'nginx:1'}]}}},"
        + "{'op':'replace','path':'/metadata/annotations','value':{'deployment.kubernetes.io/revision':'1'}}]";

    ObjectNode result = Patches.apply(PatchType.JSON, deployment, body(patch), "apps/v1", "Deployment");

    assertThat(result.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1");
    assertThat(result.at("/metadata/annotations")).isEqualTo(
        object("{'deployment.kubernetes.io/revision':'1'}"));
    assertThat(result.at("/spec/replicas").asInt()).isEqualTo(2);
  }

  @Test
  void tooManyOperationsIsRequestEntityTooLarge() {
    StringBuilder patch = new StringBuilder("[");
    for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) {
      patch.append(i == 0 ? "" : ",").append("{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"v\"}");
    }
    byte[] body = patch.append(']').toString().getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Patches.apply(PatchType.JSON, object(CONFIG_MAP), body, "v1", "ConfigMap"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(413);
          assertThat(e.reason()).isEqualTo("RequestEntityTooLarge");
          assertThat(e.getMessage()).isEqualTo("Request entity too large: The allowed maximum operations in a "
              + "JSON patch is 10000, got 10001");
        });
  }

  @Test
  void exactlyTheMaximumNumberOfOperationsIsAccepted() {
    StringBuilder patch = new StringBuilder("[");
    for (int i = 0; i < JsonPatch.MAX_OPERATIONS; i++) {
      patch.append(i == 0 ? "" : ",").append("{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"v\"}");
    }
    byte[] body = patch.append(']').toString().getBytes(StandardCharsets.UTF_8);

    assertThat(Patches.apply(PatchType.JSON, object(CONFIG_MAP), body, "v1", "ConfigMap"))
        .isEqualTo(object(CONFIG_MAP));
  }

  @Test
  void exponentialCopiesAreCut() {
    StringBuilder patch = new StringBuilder("[");
    for (int i = 0; i < 40; i++) {
      patch.append(i == 0 ? "" : ",")
          .append("{\"op\":\"copy\",\"from\":\"/data\",\"path\":\"/data/c").append(i).append("\"}");
    }
    byte[] body = patch.append(']').toString().getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Patches.apply(PatchType.JSON, object(CONFIG_MAP), body, "v1", "ConfigMap"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(422));
  }
}
