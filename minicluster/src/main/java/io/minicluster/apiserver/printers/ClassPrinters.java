package io.minicluster.apiserver.printers;

import java.util.List;

/** Printers of the cluster's class kinds: PriorityClass (printPriorityClass) and RuntimeClass (printRuntimeClass). */
final class ClassPrinters {
  private ClassPrinters() {}

  static TablePrinter priorityClass() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.integer("Value", "value represents the integer value of this priority class. This is the actual "
            + "priority that pods receive when they have the name of this class in their pod spec."),
        new Column("Global-Default", "boolean", "", "globalDefault specifies whether this PriorityClass should be "
            + "considered as the default priority for pods that do not have any priority class. Only one "
            + "PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists "
            + "with their `globalDefault` field set to true, the smallest value of such global default "
            + "PriorityClasses will be used as the default priority.", 0),
        Column.creationAge(),
        Column.string("PreemptionPolicy", "preemptionPolicy is the Policy for preempting pods with lower "
            + "priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.")),
        (object, now) -> List.of(Fields.name(object), Fields.integer(object, 0, "value"),
            Fields.isTrue(object, "globalDefault"), Fields.age(object, now), Fields.text(object, "preemptionPolicy")));
  }

  /** HANDLER's description is ObjectMeta's doc of "handler", which has none: empty, as upstream. */
  static TablePrinter runtimeClass() {
    return new FunctionPrinter(List.of(
        Column.objectName(), Column.string("Handler", ""), Column.creationAge()),
        (object, now) -> List.of(Fields.name(object), Fields.text(object, "handler"), Fields.age(object, now)));
  }
}
