package io.minicluster.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.json.Json;
import java.util.List;

/**
 * printFlowSchema (NAME, PRIORITYLEVEL, MATCHINGPRECEDENCE, DISTINGUISHERMETHOD "&lt;none&gt;" when unset, AGE, MISSINGPL: the
 * Dangling condition's status or "?") and printPriorityLevelConfiguration (NAME, TYPE, NOMINALCONCURRENCYSHARES,
 * QUEUES, HANDSIZE, QUEUELENGTHLIMIT, AGE; "&lt;none&gt;" where the level is not Limited or does not queue).
 */
final class FlowControlPrinters {
  private static final String NONE = "<none>";

  private FlowControlPrinters() {}

  static TablePrinter flowSchema() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("PriorityLevel", "`name` is the name of the priority level configuration being referenced "
            + "Required."),
        Column.string("MatchingPrecedence", "`matchingPrecedence` is used to choose among the FlowSchemas that match "
            + "a given request. The chosen FlowSchema is among those with the numerically lowest (which we take to "
            + "be logically highest) MatchingPrecedence.  Each MatchingPrecedence value must be ranged in [1,10000]. "
            + "Note that if the precedence is not specified, it will be set to 1000 as default."),
        Column.string("DistinguisherMethod", "`distinguisherMethod` defines how to compute the flow distinguisher "
            + "for requests that match this schema. `nil` specifies that the distinguisher is disabled and thus "
            + "will always be the empty string."),
        Column.creationAge(),
        Column.string("MissingPL", "references a broken or non-existent PriorityLevelConfiguration")),
        (schema, now) -> {
          JsonNode spec = schema.path("spec");
          JsonNode method = spec.get("distinguisherMethod");
          String missing = "?";
          for (JsonNode condition : Fields.array(schema, "status", "conditions")) {
            if ("Dangling".equals(Json.text(condition, "type"))) {
              missing = Json.text(condition, "status");
              break;
            }
          }
          return List.of(Fields.name(schema), Fields.text(spec, "priorityLevelConfiguration", "name"),
              Fields.integer(spec, 0, "matchingPrecedence"),
              method == null || method.isNull() ? NONE : Json.text(method, "type"), Fields.age(schema, now), missing);
        });
  }

  static TablePrinter priorityLevelConfiguration() {
    return new FunctionPrinter(List.of(
        Column.objectName(),
        Column.string("Type", "`type` indicates whether this priority level is subject to limitation on request "
            + "execution.  A value of `\"Exempt\"` means that requests of this priority level are not subject to "
            + "a limit (and thus are never queued) and do not detract from the capacity made available to other "
            + "priority levels.  A value of `\"Limited\"` means that (a) requests of this priority level _are_ "
            + "subject to limits and (b) some of the server's limited capacity is made available exclusively to "
            + "this priority level. Required."),
        Column.string("NominalConcurrencyShares", "`nominalConcurrencyShares` (NCS) contributes to the computation "
            + "of the NominalConcurrencyLimit (NominalCL) of this level."),
        Column.string("Queues", "`queues` is the number of queues for this priority level. The queues exist "
            + "independently at each apiserver. The value must be positive.  Setting it to 1 effectively precludes "
            + "shufflesharding and thus makes the distinguisher method of associated flow schemas irrelevant.  This "
            + "field has a default value of 64."),
        Column.string("HandSize", "`handSize` is a small positive number that configures the shuffle sharding of "
            + "requests into queues.  When enqueuing a request at this priority level the request's flow identifier "
            + "(a string pair) is hashed and the hash value is used to shuffle the list of queues and deal a hand "
            + "of the size specified here.  The request is put into one of the shortest queues in that hand. "
            + "`handSize` must be no larger than `queues`, and should be significantly smaller (so that a few heavy "
            + "flows do not saturate most of the queues)."),
        Column.string("QueueLengthLimit", "`queueLengthLimit` is the maximum number of requests allowed to be "
            + "waiting in a given queue of this priority level at a time; excess requests are rejected.  This value "
            + "must be positive.  If not specified, it will be defaulted to 50."),
        Column.creationAge()),
        (level, now) -> {
          JsonNode limited = level.path("spec").get("limited");
          Object shares = NONE;
          Object queues = NONE;
          Object handSize = NONE;
          Object queueLengthLimit = NONE;
          if (limited != null && limited.isObject()) {
            shares = Fields.integer(limited, 0, "nominalConcurrencyShares");
            JsonNode queuing = limited.path("limitResponse").get("queuing");
            if (queuing != null && queuing.isObject()) {
              queues = Fields.integer(queuing, 0, "queues");
              handSize = Fields.integer(queuing, 0, "handSize");
              queueLengthLimit = Fields.integer(queuing, 0, "queueLengthLimit");
            }
          }
          return List.of(Fields.name(level), Fields.text(level, "spec", "type"), shares, queues, handSize,
              queueLengthLimit, Fields.age(level, now));
        });
  }
}
