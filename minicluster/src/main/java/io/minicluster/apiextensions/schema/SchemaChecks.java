package io.minicluster.apiextensions.schema;

import static io.minicluster.apiextensions.schema.Nodes.EMBEDDED_RESOURCE;
import static io.minicluster.apiextensions.schema.Nodes.INT_OR_STRING;
import static io.minicluster.apiextensions.schema.Nodes.LIST_MAP_KEYS;
import static io.minicluster.apiextensions.schema.Nodes.LIST_TYPE;
import static io.minicluster.apiextensions.schema.Nodes.MAP_TYPE;
import static io.minicluster.apiextensions.schema.Nodes.PRESERVE_UNKNOWN_FIELDS;
import static io.minicluster.apiextensions.schema.Nodes.VALIDATIONS;

import com.fasterxml.jackson.databind.JsonNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.GoValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks the apiserver makes of a CRD version's openAPIV3Schema: that it is structural (pkg/apiserver/schema:
 * ValidateStructural, validateStructuralCompleteness), then the CRD API validation of
 * ValidateCustomResourceDefinitionOpenAPISchema, with their field paths and messages.
 */
final class SchemaChecks {
  static final String CEL_UNSUPPORTED = "x-kubernetes-validations are not supported by minicluster";

  private static final List<String> TYPES = List.of("array", "boolean", "integer", "number", "object", "string");
  private static final Set<String> META_FIELDS = Set.of("metadata", "kind", "apiVersion");

  private enum Level { ROOT, ITEM, FIELD }

  private SchemaChecks() {}

  static List<FieldError> check(JsonNode root, String path) {
    List<FieldError> structural = new ArrayList<>();
    invariants(root, Level.ROOT, path, structural);
    completeness(root, root, path, path, structural);
    structural.sort(Comparator.comparing(FieldError::message));
    List<FieldError> errors = new ArrayList<>(structural);
    if (structural.isEmpty()) {
      defaults(root, path, true, false, new ValueValidator(), errors);
    }
    if (Nodes.flag(root, "nullable")) {
      errors.add(FieldError.forbidden(Paths.child(path, "nullable"), "nullable cannot be true at the root"));
    }
    api(root, path, true, false, null, errors);
    return errors;
  }

  // ---- structural invariants (validation.go) ----

  private static void invariants(JsonNode s, Level level, String path, List<FieldError> errors) {
    String type = Nodes.type(s);
    JsonNode items = Nodes.items(s);
    if (type.equals("array") && items == null) {
      errors.add(FieldError.required(Paths.child(path, "items"), "must be specified"));
    }
    if (items != null) {
      invariants(items, Level.ITEM, Paths.child(path, "items"), errors);
    }
    JsonNode properties = Nodes.properties(s);
    if (properties != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        if (property.getValue().isObject()) {
          invariants(property.getValue(), Level.FIELD,
              Paths.key(Paths.child(path, "properties"), property.getKey()), errors);
        }
      }
    }
    boolean hasAdditional = Nodes.has(s, "additionalProperties");
    if (hasAdditional) {
      if (level == Level.ROOT) {
        errors.add(FieldError.forbidden(Paths.child(path, "additionalProperties"), "must not be used at the root"));
      }
      JsonNode additional = Nodes.additionalSchema(s);
      if (additional != null) {
        invariants(additional, Level.FIELD, Paths.child(path, "additionalProperties"), errors);
      }
    }
    boolean intOrString = Nodes.flag(s, INT_OR_STRING);
    boolean preserve = Nodes.flag(s, PRESERVE_UNKNOWN_FIELDS);
    boolean embedded = Nodes.flag(s, EMBEDDED_RESOURCE);
    if (intOrString && preserve) {
      errors.add(FieldError.invalid(Paths.child(path, PRESERVE_UNKNOWN_FIELDS), true,
          "must be false if x-kubernetes-int-or-string is true"));
    }
    if (intOrString && embedded) {
      errors.add(FieldError.invalid(Paths.child(path, EMBEDDED_RESOURCE), true,
          "must be false if x-kubernetes-int-or-string is true"));
    }
    valueValidation(s, isIntOrStringAnyOf(s), isIntOrStringAllOf(s), level, path, errors);

    boolean checkMetadata = level == Level.ROOT || embedded;
    if (embedded && !type.equals("object")) {
      if (type.isEmpty()) {
        errors.add(FieldError.required(Paths.child(path, "type"), "must be object if x-kubernetes-embedded-resource is true"));
      } else {
        errors.add(FieldError.invalid(Paths.child(path, "type"), type,
            "must be object if x-kubernetes-embedded-resource is true"));
      }
    } else if (type.isEmpty() && !intOrString && !preserve) {
      String detail = switch (level) {
        case ROOT -> "must not be empty at the root";
        case ITEM -> "must not be empty for specified array items";
        case FIELD -> "must not be empty for specified object fields";
      };
      errors.add(FieldError.required(Paths.child(path, "type"), detail));
    }
    if (embedded && hasAdditional) {
      errors.add(FieldError.forbidden(Paths.child(path, "additionalProperties"),
          "must not be used if x-kubernetes-embedded-resource is set"));
    }
    if (level == Level.ROOT && !type.isEmpty() && !type.equals("object")) {
      errors.add(FieldError.invalid(Paths.child(path, "type"), type, "must be object at the root"));
    }
    for (String field : List.of("kind", "apiVersion")) {
      JsonNode property = Nodes.property(s, field);
      if (property != null && checkMetadata && !Nodes.type(property).equals("string")) {
        errors.add(FieldError.invalid(Paths.child(Paths.key(Paths.child(path, "properties"), field), "type"),
            Nodes.type(property), "must be string"));
      }
    }
    JsonNode metadata = Nodes.property(s, "metadata");
    if (metadata != null) {
      metadataInvariants(metadata, checkMetadata, level, Paths.key(Paths.child(path, "properties"), "metadata"), errors);
    }
    if (embedded && !preserve && properties == null) {
      errors.add(FieldError.required(Paths.child(path, "properties"),
          "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"));
    }
    if (Nodes.has(s, VALIDATIONS)) {
      errors.add(FieldError.forbidden(Paths.child(path, VALIDATIONS), CEL_UNSUPPORTED));
    }
  }

  private static void metadataInvariants(JsonNode s, boolean checkMetadata, Level level, String path,
      List<FieldError> errors) {
    String type = Nodes.type(s);
    if (checkMetadata && !type.equals("object")) {
      errors.add(FieldError.invalid(Paths.child(path, "type"), type, "must be object"));
    }
    if (level != Level.ROOT) {
      return;
    }
    // only the type, a default (checked elsewhere) and properties restricting name and generateName are allowed
    boolean other = false;
    for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      switch (field) {
        case "type", "default" -> { }
        case "properties" -> {
          JsonNode properties = Nodes.properties(s);
          if (properties != null) {
            for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
              String name = names.next();
              other |= !name.equals("name") && !name.equals("generateName");
            }
          }
        }
        default -> other |= !isUnsetValue(s.get(field));
      }
    }
    if (other) {
      errors.add(FieldError.forbidden(path,
          "must not specify anything other than name and generateName, but metadata is implicitly specified"));
    }
  }

  private static boolean isUnsetValue(JsonNode value) {
    return value == null || value.isNull() || (value.isBoolean() && !value.asBoolean())
        || (value.isTextual() && value.asText().isEmpty()) || (value.isContainerNode() && value.isEmpty());
  }

  private static boolean isIntOrStringPair(List<JsonNode> anyOf) {
    return anyOf.size() == 2 && onlyType(anyOf.get(0), "integer") && onlyType(anyOf.get(1), "string");
  }

  private static boolean onlyType(JsonNode schema, String type) {
    return schema.isObject() && schema.size() == 1 && type.equals(Nodes.type(schema));
  }

  private static boolean isIntOrStringAnyOf(JsonNode s) {
    return isIntOrStringPair(Nodes.list(s, "anyOf"));
  }

  private static boolean isIntOrStringAllOf(JsonNode s) {
    List<JsonNode> allOf = Nodes.list(s, "allOf");
    return !allOf.isEmpty() && isIntOrStringPair(Nodes.list(allOf.get(0), "anyOf"));
  }

  private static void valueValidation(JsonNode v, boolean skipAnyOf, boolean skipFirstAllOfAnyOf, Level level,
      String path, List<FieldError> errors) {
    if (!skipAnyOf) {
      List<JsonNode> anyOf = Nodes.list(v, "anyOf");
      for (int i = 0; i < anyOf.size(); i++) {
        nested(anyOf.get(i), false, level, Paths.index(Paths.child(path, "anyOf"), i), errors);
      }
    }
    List<JsonNode> allOf = Nodes.list(v, "allOf");
    for (int i = 0; i < allOf.size(); i++) {
      nested(allOf.get(i), skipFirstAllOfAnyOf && i == 0, level, Paths.index(Paths.child(path, "allOf"), i), errors);
    }
    List<JsonNode> oneOf = Nodes.list(v, "oneOf");
    for (int i = 0; i < oneOf.size(); i++) {
      nested(oneOf.get(i), false, level, Paths.index(Paths.child(path, "oneOf"), i), errors);
    }
    JsonNode not = v.get("not");
    if (not != null && not.isObject()) {
      nested(not, false, level, Paths.child(path, "not"), errors);
    }
    String pattern = Nodes.text(v, "pattern");
    if (pattern != null && !pattern.isEmpty()) {
      try {
        GoRegexp.compile(pattern);
      } catch (GoRegexp.SyntaxError e) {
        errors.add(FieldError.invalid(Paths.child(path, "pattern"), pattern,
            "must be a valid regular expression, but isn't: " + e.getMessage()));
      }
    }
  }

  private static void nested(JsonNode v, boolean skipAnyOf, Level level, String path, List<FieldError> errors) {
    if (!v.isObject()) {
      return;
    }
    valueValidation(v, skipAnyOf, false, level, path, errors);
    JsonNode items = Nodes.items(v);
    if (items != null) {
      nested(items, false, level, Paths.child(path, "items"), errors);
    }
    JsonNode properties = Nodes.properties(v);
    if (properties != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        nested(property.getValue(), false, Level.FIELD, Paths.key(Paths.child(path, "properties"), property.getKey()),
            errors);
      }
    }
    if (!Nodes.type(v).isEmpty()) {
      errors.add(FieldError.forbidden(Paths.child(path, "type"), "must be empty to be structural"));
    }
    if (Nodes.has(v, "additionalProperties")) {
      errors.add(FieldError.forbidden(Paths.child(path, "additionalProperties"), "must be undefined to be structural"));
    }
    if (Nodes.has(v, "default")) {
      errors.add(FieldError.forbidden(Paths.child(path, "default"), "must be undefined to be structural"));
    }
    if (!isUnsetValue(v.get("title"))) {
      errors.add(FieldError.forbidden(Paths.child(path, "title"), "must be empty to be structural"));
    }
    if (!isUnsetValue(v.get("description"))) {
      errors.add(FieldError.forbidden(Paths.child(path, "description"), "must be empty to be structural"));
    }
    if (Nodes.flag(v, "nullable")) {
      errors.add(FieldError.forbidden(Paths.child(path, "nullable"), "must be false to be structural"));
    }
    if (Nodes.has(v, "externalDocs")) {
      errors.add(FieldError.forbidden(Paths.child(path, "externalDocs"), "must be undefined to be structural"));
    }
    if (Nodes.flag(v, PRESERVE_UNKNOWN_FIELDS)) {
      errors.add(FieldError.forbidden(Paths.child(path, PRESERVE_UNKNOWN_FIELDS), "must be false to be structural"));
    }
    if (Nodes.flag(v, EMBEDDED_RESOURCE)) {
      errors.add(FieldError.forbidden(Paths.child(path, EMBEDDED_RESOURCE), "must be false to be structural"));
    }
    if (Nodes.flag(v, INT_OR_STRING)) {
      errors.add(FieldError.forbidden(Paths.child(path, INT_OR_STRING), "must be false to be structural"));
    }
    if (!Nodes.strings(v, LIST_MAP_KEYS).isEmpty()) {
      errors.add(FieldError.forbidden(Paths.child(path, LIST_MAP_KEYS), "must be empty to be structural"));
    }
    if (Nodes.has(v, LIST_TYPE)) {
      errors.add(FieldError.forbidden(Paths.child(path, LIST_TYPE), "must be undefined to be structural"));
    }
    if (Nodes.has(v, MAP_TYPE)) {
      errors.add(FieldError.forbidden(Paths.child(path, MAP_TYPE), "must be undefined to be structural"));
    }
    if (!isUnsetValue(v.get(VALIDATIONS))) {
      errors.add(FieldError.forbidden(Paths.child(path, VALIDATIONS), "must be empty to be structural"));
    }
    if (Nodes.property(v, "metadata") != null) {
      errors.add(FieldError.forbidden(Paths.key(Paths.child(path, "properties"), "metadata"),
          "must not be specified in a nested context"));
    }
  }

  // ---- defaults (structural/defaulting: ValidateDefaults) ----

  /**
   * Every default outside of metadata must be valid for its schema and pruned (no unknown fields). The default is
   * validated as a value of its own: the validator's messages name it by the empty path, as upstream's do.
   */
  private static void defaults(JsonNode s, String path, boolean root, boolean insideMeta, ValueValidator validator,
      List<FieldError> errors) {
    JsonNode defaultValue = s.get("default");
    if (defaultValue != null && !insideMeta) {
      String defaultPath = Paths.child(path, "default");
      JsonNode pruned = defaultValue.deepCopy();
      Pruning.prune(pruned, s, Nodes.flag(s, EMBEDDED_RESOURCE));
      if (!pruned.equals(defaultValue)) {
        errors.add(FieldError.invalid(defaultPath, ResourceChecks.goValue(defaultValue), "must not have unknown fields"));
      }
      List<FieldError> invalid = validator.validate(s, defaultValue, defaultPath, "");
      errors.addAll(invalid.isEmpty() ? ResourceChecks.check(defaultValue, s, defaultPath, (metadata, at) -> List.of())
          : invalid);
    }
    JsonNode properties = Nodes.properties(s);
    if (properties != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        boolean meta = insideMeta
            || ((root || Nodes.flag(s, EMBEDDED_RESOURCE)) && property.getKey().equals("metadata"));
        if (property.getValue().isObject()) {
          defaults(property.getValue(), Paths.key(Paths.child(path, "properties"), property.getKey()), false, meta,
              validator, errors);
        }
      }
    }
    JsonNode items = Nodes.items(s);
    if (items != null) {
      defaults(items, Paths.child(path, "items"), false, insideMeta, validator, errors);
    }
    JsonNode additional = Nodes.additionalSchema(s);
    if (additional != null) {
      defaults(additional, Paths.child(path, "additionalProperties"), false, insideMeta, validator, errors);
    }
  }

  // ---- completeness (complete.go) ----

  private static void completeness(JsonNode v, JsonNode s, String sPath, String vPath, List<FieldError> errors) {
    JsonNode not = v.get("not");
    if (not != null && not.isObject()) {
      nestedCompleteness(not, s, sPath, Paths.child(vPath, "not"), errors);
    }
    for (String junctor : List.of("allOf", "anyOf", "oneOf")) {
      List<JsonNode> list = Nodes.list(v, junctor);
      for (int i = 0; i < list.size(); i++) {
        nestedCompleteness(list.get(i), s, sPath, Paths.index(Paths.child(vPath, junctor), i), errors);
      }
    }
  }

  private static void nestedCompleteness(JsonNode v, JsonNode s, String sPath, String vPath, List<FieldError> errors) {
    if (!v.isObject()) {
      return;
    }
    if (s == null) {
      errors.add(FieldError.required(sPath, "because it is defined in " + vPath));
      return;
    }
    completeness(v, s, sPath, vPath, errors);
    JsonNode items = Nodes.items(v);
    if (items != null) {
      nestedCompleteness(items, Nodes.items(s), Paths.child(sPath, "items"), Paths.child(vPath, "items"), errors);
    }
    JsonNode properties = Nodes.properties(v);
    if (properties != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        String name = property.getKey();
        JsonNode structural = Nodes.property(s, name);
        String sProperty = Paths.key(Paths.child(sPath, "properties"), name);
        String vProperty = Paths.key(Paths.child(vPath, "properties"), name);
        if (structural == null) {
          errors.add(FieldError.required(sProperty, "because it is defined in " + vProperty));
        } else {
          nestedCompleteness(property.getValue(), structural, sProperty, vProperty, errors);
        }
      }
    }
  }

  // ---- CRD API validation (ValidateCustomResourceDefinitionOpenAPISchema) ----

  private static void api(JsonNode s, String path, boolean root, boolean insideMeta, String noDefaultsReason,
      List<FieldError> errors) {
    if (!s.isObject()) {
      return;
    }
    String type = Nodes.type(s);
    JsonNode rawType = s.get("type");
    if (rawType != null && !rawType.isNull() && !(rawType.isTextual() && (rawType.asText().isEmpty()
        || TYPES.contains(rawType.asText()) || rawType.asText().equals("null")))) {
      errors.add(FieldError.notSupported(Paths.child(path, "type"), rawType, TYPES));
    }
    if (Nodes.has(s, "default") && noDefaultsReason != null) {
      errors.add(FieldError.forbidden(Paths.child(path, "default"), "must not be set " + noDefaultsReason));
    }
    if (!isUnsetValue(s.get("id"))) {
      errors.add(FieldError.forbidden(Paths.child(path, "id"), "id is not supported"));
    }
    if (Nodes.has(s, "additionalItems")) {
      errors.add(FieldError.forbidden(Paths.child(path, "additionalItems"), "additionalItems is not supported"));
    }
    if (!isUnsetValue(s.get("patternProperties"))) {
      errors.add(FieldError.forbidden(Paths.child(path, "patternProperties"), "patternProperties is not supported"));
    }
    if (!isUnsetValue(s.get("definitions"))) {
      errors.add(FieldError.forbidden(Paths.child(path, "definitions"), "definitions is not supported"));
    }
    if (Nodes.has(s, "dependencies")) {
      errors.add(FieldError.forbidden(Paths.child(path, "dependencies"), "dependencies is not supported"));
    }
    if (Nodes.has(s, "$ref")) {
      errors.add(FieldError.forbidden(Paths.child(path, "$ref"), "$ref is not supported"));
    }
    if (type.equals("null")) {
      errors.add(FieldError.forbidden(Paths.child(path, "type"),
          "type cannot be set to null, use nullable as an alternative"));
    }
    JsonNode rawItems = s.get("items");
    if (rawItems != null && rawItems.isArray()) {
      errors.add(FieldError.forbidden(Paths.child(path, "items"), "items must be a schema object and not an array"));
    }
    if (insideMeta && Nodes.flag(s, EMBEDDED_RESOURCE)) {
      errors.add(FieldError.forbidden(Paths.child(path, EMBEDDED_RESOURCE), "must not be used inside of resource meta"));
    }
    if (Nodes.flag(s, "uniqueItems")) {
      errors.add(FieldError.forbidden(Paths.child(path, "uniqueItems"),
          "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
    }
    JsonNode additional = s.get("additionalProperties");
    JsonNode properties = Nodes.properties(s);
    if (additional != null && !additional.isNull()) {
      boolean allowsAll = additional.isBoolean() && additional.asBoolean();
      if (properties != null && !allowsAll) {
        errors.add(FieldError.forbidden(Paths.child(path, "additionalProperties"),
            "additionalProperties and properties are mutual exclusive"));
      }
      if (additional.isObject()) {
        api(additional, Paths.child(path, "additionalProperties"), false, insideMeta,
            insideMeta ? "inside additionalProperties applying to object metadata" : noDefaultsReason, errors);
      }
    }
    if (properties != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        String name = property.getKey();
        boolean meta = insideMeta;
        String reason = noDefaultsReason;
        if ((root || Nodes.flag(s, EMBEDDED_RESOURCE)) && META_FIELDS.contains(name)) {
          meta = true;
          if (root) {
            reason = "in top-level " + name;
          }
        }
        api(property.getValue(), Paths.key(Paths.child(path, "properties"), name), false, meta, reason, errors);
      }
    }
    JsonNode not = s.get("not");
    if (not != null && not.isObject()) {
      api(not, Paths.child(path, "not"), false, insideMeta, noDefaultsReason, errors);
    }
    for (String junctor : List.of("allOf", "oneOf", "anyOf")) {
      List<JsonNode> list = Nodes.list(s, junctor);
      for (int i = 0; i < list.size(); i++) {
        api(list.get(i), Paths.index(Paths.child(path, junctor), i), false, insideMeta, noDefaultsReason, errors);
      }
    }
    JsonNode items = Nodes.items(s);
    if (items != null) {
      api(items, Paths.child(path, "items"), false, insideMeta, noDefaultsReason, errors);
    }
    JsonNode preserve = s.get(PRESERVE_UNKNOWN_FIELDS);
    if (preserve != null && preserve.isBoolean() && !preserve.asBoolean()) {
      errors.add(FieldError.invalid(Paths.child(path, PRESERVE_UNKNOWN_FIELDS), false, "must be true or undefined"));
    }
    listAndMapTypes(s, type, path, errors);
  }

  private static void listAndMapTypes(JsonNode s, String type, String path, List<FieldError> errors) {
    String mapType = Nodes.text(s, MAP_TYPE);
    if (mapType != null && !type.equals("object")) {
      typeMustBe(type, path, "must be object if x-kubernetes-map-type is specified", errors);
    }
    if (mapType != null && !mapType.equals("atomic") && !mapType.equals("granular")) {
      errors.add(FieldError.notSupported(Paths.child(path, MAP_TYPE), mapType, List.of("atomic", "granular")));
    }
    String listType = Nodes.text(s, LIST_TYPE);
    JsonNode items = Nodes.items(s);
    if (listType != null && !type.equals("array")) {
      typeMustBe(type, path, "must be array if x-kubernetes-list-type is specified", errors);
    } else if ("set".equals(listType) && items != null) {
      String itemType = Nodes.type(items);
      String itemListType = Nodes.text(items, LIST_TYPE);
      String itemMapType = Nodes.text(items, MAP_TYPE);
      if (itemType.equals("array") && itemListType != null && !itemListType.equals("atomic")) {
        errors.add(FieldError.invalid(Paths.child(Paths.child(path, "items"), LIST_TYPE), itemListType,
            "must be atomic as item of a list with x-kubernetes-list-type=set"));
      } else if (itemType.equals("object") && !"atomic".equals(itemMapType)) {
        errors.add(FieldError.invalid(Paths.child(Paths.child(path, "items"), MAP_TYPE), itemListType,
            "must be atomic as item of a list with x-kubernetes-list-type=set"));
      }
    }
    if (listType != null && !List.of("atomic", "set", "map").contains(listType)) {
      errors.add(FieldError.notSupported(Paths.child(path, LIST_TYPE), listType, List.of("atomic", "set", "map")));
    }
    List<String> mapKeys = Nodes.strings(s, LIST_MAP_KEYS);
    if (!mapKeys.isEmpty()) {
      if (listType == null) {
        errors.add(FieldError.required(Paths.child(path, LIST_TYPE), "must be map if x-kubernetes-list-map-keys is non-empty"));
      } else if (!listType.equals("map")) {
        errors.add(FieldError.invalid(Paths.child(path, LIST_TYPE), listType,
            "must be map if x-kubernetes-list-map-keys is non-empty"));
      }
    }
    if ("map".equals(listType)) {
      if (mapKeys.isEmpty()) {
        errors.add(FieldError.required(Paths.child(path, LIST_MAP_KEYS), "must not be empty if x-kubernetes-list-type is map"));
      }
      if (!Nodes.has(s, "items")) {
        errors.add(FieldError.required(Paths.child(path, "items"), "must have a schema if x-kubernetes-list-type is map"));
      } else if (items != null && !Nodes.type(items).equals("object")) {
        errors.add(FieldError.invalid(Paths.child(Paths.child(path, "items"), "type"), Nodes.type(items),
            "must be object if parent array's x-kubernetes-list-type is map"));
      } else if (items != null) {
        Set<String> seen = new HashSet<>();
        for (String key : mapKeys) {
          JsonNode keySchema = Nodes.property(items, key);
          if (keySchema == null) {
            errors.add(FieldError.invalid(Paths.child(path, LIST_MAP_KEYS), GoValue.stringSlice(mapKeys),
                "entries must all be names of item properties"));
          } else if (Nodes.type(keySchema).equals("array") || Nodes.type(keySchema).equals("object")) {
            errors.add(FieldError.invalid(Paths.child(Paths.key(Paths.child(Paths.child(path, "items"), "properties"),
                key), "type"), Nodes.type(items), "must be a scalar type if parent array's x-kubernetes-list-type is map"));
          }
          if (!seen.add(key)) {
            errors.add(FieldError.invalid(Paths.child(path, LIST_MAP_KEYS), GoValue.stringSlice(mapKeys),
                "must not contain duplicate entries"));
          }
        }
      }
    }
    if (("set".equals(listType) || "map".equals(listType)) && items != null) {
      mapListKeysMapSet(items, listType, mapKeys, path, errors);
    }
  }

  /** validateMapListKeysMapSet: items of sets and maps are not nullable, map keys are required or defaulted. */
  private static void mapListKeysMapSet(JsonNode items, String listType, List<String> mapKeys, String path,
      List<FieldError> errors) {
    String itemsPath = Paths.child(path, "items");
    if (Nodes.flag(items, "nullable")) {
      errors.add(FieldError.forbidden(Paths.child(itemsPath, "nullable"),
          "cannot be nullable when x-kubernetes-list-type is " + listType));
    }
    if (!listType.equals("map")) {
      return;
    }
    List<String> required = Nodes.strings(items, "required");
    for (String key : mapKeys) {
      JsonNode keySchema = Nodes.property(items, key);
      if (keySchema == null) {
        continue;
      }
      String keyPath = Paths.key(Paths.child(itemsPath, "properties"), key);
      if (!required.contains(key) && !Nodes.has(keySchema, "default")) {
        errors.add(FieldError.required(Paths.child(keyPath, "default"),
            "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"));
      }
      if (Nodes.flag(keySchema, "nullable")) {
        errors.add(FieldError.forbidden(Paths.child(keyPath, "nullable"),
            "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"));
      }
    }
  }

  private static void typeMustBe(String type, String path, String detail, List<FieldError> errors) {
    if (type.isEmpty()) {
      errors.add(FieldError.required(Paths.child(path, "type"), detail));
    } else {
      errors.add(FieldError.invalid(Paths.child(path, "type"), type, detail));
    }
  }
}
