package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Printers whose row is a name, one or two field reads and the age: Namespace, ConfigMap, Secret, ServiceAccount,
 * Lease, and the apiserver's default table convertor for kinds without a printer.
 */
final class SimplePrinters {
  /** Go's zero time in RFC 3339, what the default convertor prints for a missing creationTimestamp. */
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
  private static final DateTimeFormatter CREATED_AT_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private SimplePrinters() {}

  static TablePrinter namespace() {
    return new FunctionPrinter(List.of(
        Column.objectName(), Column.string("Status", "The status of the namespace"), Column.creationAge()),
        (object, now) -> List.of(Fields.name(object), Fields.text(object, "status", "phase"), Fields.age(object, now)));
  }

  /** DATA counts data and binaryData keys; the column says string but the cell is a number, as upstream. */
  static TablePrinter configMap() {
    return new FunctionPrinter(List.of(
        Column.objectName(), Column.string("Data", "Data contains the configuration data."), Column.creationAge()),
        (object, now) -> List.of(Fields.name(object),
            (long) (Fields.size(object, "data") + Fields.size(object, "binaryData")), Fields.age(object, now)));
  }

  static TablePrinter secret() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Type", "Used to facilitate programmatic handling of secret data."),
        Column.string("Data", "Data contains the secret data."),
        Column.creationAge()),
        (object, now) -> List.of(Fields.name(object), Fields.text(object, "type"), (long) Fields.size(object, "data"),
            Fields.age(object, now)));
  }

  static TablePrinter serviceAccount() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using "
            + "this ServiceAccount are allowed to use."),
        Column.creationAge()),
        (object, now) -> List.of(Fields.name(object), (long) Fields.size(object, "secrets"), Fields.age(object, now)));
  }

  static TablePrinter lease() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Holder", "holderIdentity contains the identity of the holder of a current lease."),
        Column.creationAge()),
        (object, now) -> List.of(Fields.name(object), Fields.text(object, "spec", "holderIdentity"),
            Fields.age(object, now)));
  }

  /** rest.DefaultTableConvertor: NAME and CREATED AT (an RFC 3339 date, not an age). */
  static TablePrinter fallback() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        new Column("Created At", "date", "", Column.AGE_DESCRIPTION, 0)),
        (object, now) -> List.of(Fields.name(object), createdAt(object)));
  }

  private static String createdAt(JsonNode object) {
    Instant created = Fields.timestamp(object, "metadata", "creationTimestamp");
    if (created == null) {
      return ZERO_TIME;
    }
    return CREATED_AT_FORMAT.format(created);
  }
}
