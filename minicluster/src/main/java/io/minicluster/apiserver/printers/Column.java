package io.minicluster.apiserver.printers;

import static java.util.Objects.requireNonNull;

/**
 * One column of a server-side Table (metav1.TableColumnDefinition).
 *
 * @param name header as sent on the wire, e.g. "Name" or "Nominated Node"; kubectl upper-cases it
 * @param type OpenAPI type: "string", "integer", "boolean", "date", ...
 * @param format "name" for the column kubectl treats as the object name, otherwise ""
 * @param description human description (not shown by kubectl get)
 * @param priority 0 for default columns, 1 for columns kubectl shows only with {@code -o wide}
 */
public record Column(String name, String type, String format, String description, int priority) {
  static final String NAME_DESCRIPTION = "Name must be unique within a namespace. Is required when creating "
      + "resources, although some resources may allow a client to request the generation of an appropriate name "
      + "automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be "
      + "updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
  static final String AGE_DESCRIPTION = "CreationTimestamp is a timestamp representing the server time when this "
      + "object was created. It is not guaranteed to be set in happens-before order across separate operations. "
      + "Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. "
      + "Read-only. Null for lists. More info: "
      + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

  public Column {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(format, "format is null");
    requireNonNull(description, "description is null");
  }

  /** The "Name" column every built-in printer starts with. */
  static Column objectName() {
    return new Column("Name", "string", "name", NAME_DESCRIPTION, 0);
  }

  /** The "Age" column (creation time rendered as a human duration). */
  static Column creationAge() {
    return new Column("Age", "string", "", AGE_DESCRIPTION, 0);
  }

  static Column string(String name, String description) {
    return new Column(name, "string", "", description, 0);
  }

  static Column integer(String name, String description) {
    return new Column(name, "integer", "", description, 0);
  }

  /** A string column shown only by {@code -o wide}. */
  static Column wide(String name, String description) {
    return new Column(name, "string", "", description, 1);
  }

  static Column containers() {
    return wide("Containers", "Names of each container in the template.");
  }

  static Column images() {
    return wide("Images", "Images referenced by each container in the template.");
  }
}
