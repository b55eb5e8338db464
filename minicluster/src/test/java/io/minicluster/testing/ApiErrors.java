package io.minicluster.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.minicluster.api.ApiException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the API errors a call throws. */
public final class ApiErrors {
  private ApiErrors() {}

  /** The messages ("path: body") of the causes of the 422 a call throws. */
  public static List<String> invalid(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(ApiException.class);
    ApiException e = (ApiException) thrown;
    assertThat(e.code()).as(e.getMessage()).isEqualTo(422);
    return e.causes().stream().map(c -> c.field() + ": " + c.message()).toList();
  }
}
