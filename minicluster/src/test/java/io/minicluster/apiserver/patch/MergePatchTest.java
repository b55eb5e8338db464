package io.minicluster.apiserver.patch;

import static io.minicluster.apiserver.patch.PatchTestSupport.body;
import static io.minicluster.apiserver.patch.PatchTestSupport.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MergePatchTest {

  private static final String POD = "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':"
      + "{'a':'1','b':'2'}},'spec':{'containers':[{'name':'a','image':'a1'},{'name':'b','image':'b1'}],"
      + "'nodeSelector':{'x':'1'}}}";

  /** Patch body and expected object. */
  static Stream<Arguments> applied() {
    return Stream.of(
        Arguments.of("kubectl label / annotate",
            "{'metadata':{'labels':{'a':null,'c':'3'},'annotations':{'n':'v'}}}",
            "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'b':'2','c':'3'},"
                + "'annotations':{'n':'v'}},'spec':{'containers':[{'name':'a','image':'a1'},"
                + "{'name':'b','image':'b1'}],'nodeSelector':{'x':'1'}}}"),
        Arguments.of("lists are replaced, not merged",
            "{'spec':{'containers':[{'name':'b','image':'b2'}]}}",
            "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'1','b':'2'}},"
                + "'spec':{'containers':[{'name':'b','image':'b2'}],'nodeSelector':{'x':'1'}}}"),
        Arguments.of("nulls in new objects are pruned, also inside arrays",
            "{'spec':{'tolerations':[{'key':'k','value':null}],'affinity':{'nodeAffinity':null,'podAffinity':{}}}}",
            "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'1','b':'2'}},"
                + "'spec':{'containers':[{'name':'a','image':'a1'},{'name':'b','image':'b1'}],"
                + "'nodeSelector':{'x':'1'},'tolerations':[{'key':'k'}],'affinity':{'podAffinity':{}}}}"),
        Arguments.of("scalar replaces an object; null removes it",
            "{'spec':{'nodeSelector':null,'hostname':'h'}}",
            "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'1','b':'2'}},"
                + "'spec':{'containers':[{'name':'a','image':'a1'},{'name':'b','image':'b1'}],'hostname':'h'}}"),
        Arguments.of("removing apiVersion keeps the type",
            "{'apiVersion':null,'kind':null}",
            POD),
        Arguments.of("empty object is a no-op", "{}", POD));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("applied")
  void applies(String name, String patch, String expected) {
    ObjectNode original = object(POD);

    ObjectNode result = Patches.apply(PatchType.MERGE, original, body(patch), "v1", "Pod");

    assertThat(result).isEqualTo(object(expected));
    assertThat(original).isEqualTo(object(POD));
  }

  /** Patch body, HTTP code, message prefix. */
  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of("not JSON", "{'spec':", 400, "Invalid JSON Patch"),
        Arguments.of("null body", "null", 400, "Invalid JSON Patch"),
        Arguments.of("string body", "'x'", 400, "Invalid JSON Patch"),
        Arguments.of("array body replaces the object", "[{'a':null}]", 422,
            " \"\" is invalid: patch: Invalid value: \"[{}]\""),
        Arguments.of("kind change", "{'kind':'Service'}", 422,
            " \"\" is invalid: patch: Invalid value: "),
        Arguments.of("apiVersion change", "{'apiVersion':'v2'}", 422,
            " \"\" is invalid: patch: Invalid value: "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejects(String name, String patch, int code, String message) {
    assertThatThrownBy(() -> Patches.apply(PatchType.MERGE, object(POD), body(patch), "v1", "Pod"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(code);
          assertThat(e.getMessage()).startsWith(message);
        });
  }
}
