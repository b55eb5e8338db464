package io.minicluster.apiserver.patch;

import io.minicluster.api.ApiException;

/** The PATCH body formats of the Kubernetes API, by request Content-Type. */
public enum PatchType {
  /** RFC 6902 JSON Patch. */
  JSON("application/json-patch+json"),
  /** RFC 7386 JSON Merge Patch. */
  MERGE("application/merge-patch+json"),
  /** Kubernetes strategic merge patch. */
  STRATEGIC_MERGE("application/strategic-merge-patch+json"),
  /** Server-side apply (the body is YAML or JSON). Recognised, but not implemented yet by {@link Patches}. */
  APPLY("application/apply-patch+yaml");

  /** The media types a built-in resource accepts, in the order the apiserver lists them. */
  public static final String ACCEPTED_BUILT_IN =
      "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, "
          + "application/strategic-merge-patch+json";

  /** The media types a custom resource accepts (no strategic merge patch). */
  public static final String ACCEPTED_CUSTOM =
      "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

  private final String contentType;

  PatchType(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /**
   * The patch type of a Content-Type header. As the apiserver does, parameters after ';' are dropped and the rest is
   * compared exactly.
   *
   * @throws ApiException 415 UnsupportedMediaType for a missing or unknown type
   */
  public static PatchType fromContentType(String contentTypeHeader) {
    String mediaType = contentTypeHeader == null ? "" : contentTypeHeader;
    int semicolon = mediaType.indexOf(';');
    if (semicolon > 0) {
      mediaType = mediaType.substring(0, semicolon);
    }
    for (PatchType type : values()) {
      if (type.contentType.equals(mediaType)) {
        return type;
      }
    }
    throw unsupported(ACCEPTED_BUILT_IN);
  }

  /** 415 as negotiation.NewUnsupportedMediaTypeError renders it. */
  static ApiException unsupported(String accepted) {
    return new ApiException(415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: " + accepted,
        null, null, null, null);
  }
}
