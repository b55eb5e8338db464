package io.minicluster.apiserver.printers;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/** A printer made of its columns and a cell function, for kinds whose row is a few field reads. */
record FunctionPrinter(List<Column> columns, BiFunction<ObjectNode, Instant, List<Object>> cellFunction)
    implements TablePrinter {

  FunctionPrinter {
    columns = List.copyOf(columns);
    requireNonNull(cellFunction, "cellFunction is null");
  }

  @Override
  public List<Object> cells(ObjectNode object, Instant now) {
    return cellFunction.apply(object, now);
  }
}
