package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Renders objects of one kind as Table rows, as a print handler of Kubernetes' pkg/printers/internalversion does
 * on the server (always in wide mode: the client hides priority-1 columns itself).
 */
public interface TablePrinter {

  /** Column definitions, default and wide ones, in cell order. */
  List<Column> columns();

  /**
   * The cells of one object's row, one per column. A cell is a {@link String}, a {@link Long} or {@link Integer}
   * (sent as a JSON number), a {@link Boolean}, or null.
   *
   * @param object the object in its wire JSON form
   * @param now the instant ages are measured against
   */
  List<Object> cells(ObjectNode object, Instant now);

  /** Row conditions for an object; none unless the kind defines some. */
  default List<RowCondition> conditions(ObjectNode object) {
    return List.of();
  }
}
