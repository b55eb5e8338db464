package io.minicluster.apiserver.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minicluster.api.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldValidationTest {
  private static final List<String> UNKNOWN = List.of("spec.extra", "spec.items[0].bar");

  @Test
  void unknownFieldsAKindsSchemaFoundAreRefusedWarnedOrIgnoredByTheDirective() {
    ApiException strict = catchThrowableOfType(ApiException.class,
        () -> FieldValidation.STRICT.unknownFields(UNKNOWN, "stable.example.com/v1", "CronTab"));
    assertThat(strict.code()).isEqualTo(400);
    assertThat(strict.getMessage()).isEqualTo("CronTab in version \"v1\" cannot be handled as a CronTab: strict "
        + "decoding error: unknown field \"spec.extra\", unknown field \"spec.items[0].bar\"");

    assertThat(FieldValidation.WARN.unknownFields(UNKNOWN, "stable.example.com/v1", "CronTab"))
        .containsExactly("unknown field \"spec.extra\"", "unknown field \"spec.items[0].bar\"");
    assertThat(FieldValidation.IGNORE.unknownFields(UNKNOWN, "stable.example.com/v1", "CronTab")).isEmpty();
    assertThat(FieldValidation.STRICT.unknownFields(List.of(), "stable.example.com/v1", "CronTab")).isEmpty();
  }
}
