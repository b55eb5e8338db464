package io.minicluster.apiserver.patch;

import io.minicluster.api.ApiException;
import io.minicluster.api.FieldError;
import java.util.List;

/** The errors the apiserver's patch handler reports, with its codes, reasons and messages. */
final class PatchErrors {
  /** What errors.NewGenericServerResponse(422, ...) says, whatever the underlying cause. */
  static final String UNPROCESSABLE_MESSAGE = "the server rejected our request due to an error in our request";

  private PatchErrors() {}

  /** 400 BadRequest with the message as given. */
  static ApiException badRequest(String message) {
    return ApiException.badRequest(message);
  }

  /** 422 Invalid as NewGenericServerResponse builds it: the cause is not part of the response. */
  static ApiException unprocessable() {
    return new ApiException(422, "Invalid", UNPROCESSABLE_MESSAGE, null, null, null, null);
  }

  /** A plain Go error reaching the handler: 500 with reason Unknown (empty) and the error text. */
  static ApiException unknown(String message) {
    return new ApiException(500, null, message, null, null, null, null);
  }

  /** 413 for a JSON patch with too many operations. */
  static ApiException tooManyOperations(int maximum, int actual) {
    return ApiException.tooLarge("Request entity too large: The allowed maximum operations in a JSON patch is "
        + maximum + ", got " + actual);
  }

  /**
   * 422 for a patched document that does not decode into the object type: errors.NewInvalid with an empty
   * GroupKind and name, and one field error on "patch".
   */
  static ApiException undecodable(String patchedJson, String detail) {
    FieldError error = FieldError.invalid("patch", patchedJson, detail);
    return new ApiException(422, "Invalid", " \"\" is invalid: " + error.message(), null, null, null,
        List.of(new ApiException.Cause(error.type().reason(), error.body(), error.field())));
  }
}
