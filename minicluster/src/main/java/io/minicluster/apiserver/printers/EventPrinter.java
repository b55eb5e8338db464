package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Events as printEvent: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; wide SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME
 * (the cells follow the column order, so wide cells sit between default ones). Both core/v1 and events.k8s.io/v1
 * events are printed, the latter read through the field mapping of its conversion to the internal Event.
 */
final class EventPrinter implements TablePrinter {
  private static final List<Column> COLUMNS = List.of(
      Column.string("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
      Column.string("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
      Column.string("Reason", "This should be a short, machine understandable string that gives the reason for "
          + "the transition into the object's current status."),
      Column.string("Object", "The object that this event is about."),
      Column.wide("Subobject", "If referring to a piece of an object instead of an entire object, this string "
          + "should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]."),
      Column.wide("Source", "The component reporting this event. Should be a short machine understandable string."),
      Column.string("Message", "A human-readable description of the status of this operation."),
      Column.wide("First Seen", "The time at which the event was first recorded. (Time of server receipt is in "
          + "TypeMeta.)"),
      Column.wide("Count", "The number of times this event has occurred."),
      new Column("Name", "string", "name", Column.NAME_DESCRIPTION, 1));

  private final boolean eventsApi;

  /** @param eventsApi whether objects are events.k8s.io/v1 Events rather than core/v1 ones */
  EventPrinter(boolean eventsApi) {
    this.eventsApi = eventsApi;
  }

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(ObjectNode object, Instant now) {
    View event = eventsApi ? View.ofEventsApi(object) : View.ofCore(object);
    String firstSeen = event.firstTimestamp() != null
        ? HumanDuration.since(event.firstTimestamp(), now)
        : HumanDuration.since(event.eventTime(), now);
    String lastSeen = event.lastTimestamp() != null ? HumanDuration.since(event.lastTimestamp(), now) : firstSeen;
    long count = event.count();
    if (event.series() != null) {
      lastSeen = HumanDuration.since(Fields.timestamp(event.series(), "lastObservedTime"), now);
      count = Fields.integer(event.series(), 0, "count");
    } else if (count == 0) {
      count = 1; // singleton events of the new API have no count
    }
    String kind = Fields.text(event.involvedObject(), "kind").toLowerCase(Locale.ROOT);
    String name = Fields.text(event.involvedObject(), "name");
    String target = name.isEmpty() ? kind : kind + "/" + name;

    List<Object> cells = new ArrayList<>();
    cells.add(lastSeen);
    cells.add(Fields.text(object, "type"));
    cells.add(Fields.text(object, "reason"));
    cells.add(target);
    cells.add(Fields.text(event.involvedObject(), "fieldPath"));
    cells.add(source(event));
    cells.add(event.message().strip());
    cells.add(firstSeen);
    cells.add(count);
    cells.add(Fields.name(object));
    return cells;
  }

  /** formatEventSource: component (or reportingController), then ", host" (or reportingInstance) when set. */
  private static String source(View event) {
    String component = Fields.text(event.source(), "component");
    if (component.isEmpty()) {
      component = event.reportingController();
    }
    String host = Fields.text(event.source(), "host");
    if (host.isEmpty()) {
      host = event.reportingInstance();
    }
    return host.isEmpty() ? component : component + ", " + host;
  }

  /** The internal Event fields the printer reads; null instants and nodes are Go's zero values. */
  private record View(JsonNode involvedObject, String message, JsonNode source, Instant firstTimestamp,
      Instant lastTimestamp, Instant eventTime, long count, JsonNode series, String reportingController,
      String reportingInstance) {

    static View ofCore(JsonNode event) {
      return new View(event.path("involvedObject"), Fields.text(event, "message"), event.path("source"),
          Fields.timestamp(event, "firstTimestamp"), Fields.timestamp(event, "lastTimestamp"),
          Fields.timestamp(event, "eventTime"), Fields.integer(event, 0, "count"), Fields.object(event, "series"),
          Fields.text(event, "reportingComponent"), Fields.text(event, "reportingInstance"));
    }

    static View ofEventsApi(JsonNode event) {
      return new View(event.path("regarding"), Fields.text(event, "note"), event.path("deprecatedSource"),
          Fields.timestamp(event, "deprecatedFirstTimestamp"), Fields.timestamp(event, "deprecatedLastTimestamp"),
          Fields.timestamp(event, "eventTime"), Fields.integer(event, 0, "deprecatedCount"),
          Fields.object(event, "series"), Fields.text(event, "reportingController"),
          Fields.text(event, "reportingInstance"));
    }
  }
}
