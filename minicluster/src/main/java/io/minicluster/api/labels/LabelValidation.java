package io.minicluster.api.labels;

import io.minicluster.api.validation.Formats.LengthUnit;
import io.minicluster.api.validation.Formats;
import java.util.List;

/**
 * Label key and value checks with the apiserver's messages (k8s.io/apimachinery/pkg/api/validate/content: IsLabelKey,
 * IsLabelValue, IsDNS1123Subdomain). The formats are those of {@link Formats}; only lengths differ: here they are
 * counted in bytes, as Go's len(), and the messages say "bytes".
 */
final class LabelValidation {
  private LabelValidation() {}

  /** Problems with a label key ("[prefix/]name"); empty when valid. */
  static List<String> keyErrors(String key) {
    return Formats.qualifiedName(key, LengthUnit.BYTES);
  }

  /** Problems with a label value; empty when valid (the empty string is valid). */
  static List<String> valueErrors(String value) {
    return Formats.labelValue(value, LengthUnit.BYTES);
  }
}
