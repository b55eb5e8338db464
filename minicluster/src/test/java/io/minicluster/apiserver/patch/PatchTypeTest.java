package io.minicluster.apiserver.patch;

import static io.minicluster.apiserver.patch.PatchTestSupport.body;
import static io.minicluster.apiserver.patch.PatchTestSupport.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minicluster.api.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PatchTypeTest {

  @ParameterizedTest
  @CsvSource({
      "application/json-patch+json, JSON",
      "application/merge-patch+json, MERGE",
      "application/strategic-merge-patch+json, STRATEGIC_MERGE",
      "application/apply-patch+yaml, APPLY",
      "application/merge-patch+json; charset=utf-8, MERGE",
      "application/strategic-merge-patch+json;charset=UTF-8, STRATEGIC_MERGE"})
  void recognisesContentTypes(String header, PatchType expected) {
    assertThat(PatchType.fromContentType(header)).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"application/json", "text/plain", "Application/Merge-Patch+Json",
      "application/apply-patch+cbor"})
  void rejectsOthersWith415(String header) {
    assertThatThrownBy(() -> PatchType.fromContentType(header))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(415);
          assertThat(e.reason()).isEqualTo("UnsupportedMediaType");
          assertThat(e.getMessage()).isEqualTo("the body of the request was in an unknown format - accepted media "
              + "types include: application/json-patch+json, application/merge-patch+json, "
              + "application/apply-patch+yaml, application/strategic-merge-patch+json");
        });
  }

  @Test
  void serverSideApplyIsNotImplementedYet() {
    assertThatThrownBy(() -> Patches.apply(PatchType.APPLY,
        object("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'}}"), body("{}"), "v1", "ConfigMap"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(415);
          assertThat(e.getMessage()).contains("not implemented");
        });
  }
}
