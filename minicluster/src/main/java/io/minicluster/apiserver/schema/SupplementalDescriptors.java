package io.minicluster.apiserver.schema;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V2beta2Autoscaling;

/**
 * Descriptors of served API groups that {@code client-java-proto} 21 does not ship (discovery.k8s.io/v1,
 * coordination.k8s.io/v1, events.k8s.io/v1, autoscaling/v2, node.k8s.io/v1, apiregistration.k8s.io/v1,
 * flowcontrol.apiserver.k8s.io/v1, apiextensions.k8s.io/v1), built with the upstream {@code generated.proto} field
 * names and numbers.
 */
final class SupplementalDescriptors {
  private static final String META = ".k8s.io.apimachinery.pkg.apis.meta.v1.";
  private static final String CORE = ".k8s.io.api.core.v1.";

  static final FileDescriptor DISCOVERY_V1 = build(file("k8s.io/api/discovery/v1/generated.proto",
      "k8s.io.api.discovery.v1",
      message("Endpoint",
          repeated(1, "addresses", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "conditions", ".k8s.io.api.discovery.v1.EndpointConditions"),
          optional(3, "hostname", FieldDescriptorProto.Type.TYPE_STRING),
          optional(4, "targetRef", CORE + "ObjectReference"),
          stringMap(5, "deprecatedTopology", ".k8s.io.api.discovery.v1.Endpoint.DeprecatedTopologyEntry"),
          optional(6, "nodeName", FieldDescriptorProto.Type.TYPE_STRING),
          optional(7, "zone", FieldDescriptorProto.Type.TYPE_STRING),
          optional(8, "hints", ".k8s.io.api.discovery.v1.EndpointHints"))
          .addNestedType(mapEntry("DeprecatedTopologyEntry")),
      message("EndpointConditions",
          optional(1, "ready", FieldDescriptorProto.Type.TYPE_BOOL),
          optional(2, "serving", FieldDescriptorProto.Type.TYPE_BOOL),
          optional(3, "terminating", FieldDescriptorProto.Type.TYPE_BOOL)),
      message("EndpointHints",
          repeated(1, "forZones", ".k8s.io.api.discovery.v1.ForZone"),
          repeated(2, "forNodes", ".k8s.io.api.discovery.v1.ForNode")),
      message("EndpointPort",
          optional(1, "name", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "protocol", FieldDescriptorProto.Type.TYPE_STRING),
          optional(3, "port", FieldDescriptorProto.Type.TYPE_INT32),
          optional(4, "appProtocol", FieldDescriptorProto.Type.TYPE_STRING)),
      message("EndpointSlice",
          optional(1, "metadata", META + "ObjectMeta"),
          optional(4, "addressType", FieldDescriptorProto.Type.TYPE_STRING),
          repeated(2, "endpoints", ".k8s.io.api.discovery.v1.Endpoint"),
          repeated(3, "ports", ".k8s.io.api.discovery.v1.EndpointPort")),
      message("EndpointSliceList",
          optional(1, "metadata", META + "ListMeta"),
          repeated(2, "items", ".k8s.io.api.discovery.v1.EndpointSlice")),
      message("ForZone", optional(1, "name", FieldDescriptorProto.Type.TYPE_STRING)),
      message("ForNode", optional(1, "name", FieldDescriptorProto.Type.TYPE_STRING))),
      V1.getDescriptor(), Meta.getDescriptor());

  static final FileDescriptor COORDINATION_V1 = build(file("k8s.io/api/coordination/v1/generated.proto",
      "k8s.io.api.coordination.v1",
      message("Lease",
          optional(1, "metadata", META + "ObjectMeta"),
          optional(2, "spec", ".k8s.io.api.coordination.v1.LeaseSpec")),
      message("LeaseList",
          optional(1, "metadata", META + "ListMeta"),
          repeated(2, "items", ".k8s.io.api.coordination.v1.Lease")),
      message("LeaseSpec",
          optional(1, "holderIdentity", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "leaseDurationSeconds", FieldDescriptorProto.Type.TYPE_INT32),
          optional(3, "acquireTime", META + "MicroTime"),
          optional(4, "renewTime", META + "MicroTime"),
          optional(5, "leaseTransitions", FieldDescriptorProto.Type.TYPE_INT32),
          optional(6, "strategy", FieldDescriptorProto.Type.TYPE_STRING),
          optional(7, "preferredHolder", FieldDescriptorProto.Type.TYPE_STRING))),
      Meta.getDescriptor());

  static final FileDescriptor EVENTS_V1 = build(file("k8s.io/api/events/v1/generated.proto",
      "k8s.io.api.events.v1",
      message("Event",
          optional(1, "metadata", META + "ObjectMeta"),
          optional(2, "eventTime", META + "MicroTime"),
          optional(3, "series", ".k8s.io.api.events.v1.EventSeries"),
          optional(4, "reportingController", FieldDescriptorProto.Type.TYPE_STRING),
          optional(5, "reportingInstance", FieldDescriptorProto.Type.TYPE_STRING),
          optional(6, "action", FieldDescriptorProto.Type.TYPE_STRING),
          optional(7, "reason", FieldDescriptorProto.Type.TYPE_STRING),
          optional(8, "regarding", CORE + "ObjectReference"),
          optional(9, "related", CORE + "ObjectReference"),
          optional(10, "note", FieldDescriptorProto.Type.TYPE_STRING),
          optional(11, "type", FieldDescriptorProto.Type.TYPE_STRING),
          optional(12, "deprecatedSource", CORE + "EventSource"),
          optional(13, "deprecatedFirstTimestamp", META + "Time"),
          optional(14, "deprecatedLastTimestamp", META + "Time"),
          optional(15, "deprecatedCount", FieldDescriptorProto.Type.TYPE_INT32)),
      message("EventList",
          optional(1, "metadata", META + "ListMeta"),
          repeated(2, "items", ".k8s.io.api.events.v1.Event")),
      message("EventSeries",
          optional(1, "count", FieldDescriptorProto.Type.TYPE_INT32),
          optional(2, "lastObservedTime", META + "MicroTime"))),
      V1.getDescriptor(), Meta.getDescriptor());

  static final FileDescriptor NODE_V1 = build(file("k8s.io/api/node/v1/generated.proto",
      "k8s.io.api.node.v1",
      message("Overhead",
          repeated(1, "podFixed", ".k8s.io.api.node.v1.Overhead.PodFixedEntry"))
          .addNestedType(mapEntry("PodFixedEntry", ".k8s.io.apimachinery.pkg.api.resource.Quantity")),
      message("RuntimeClass",
          optional(1, "metadata", META + "ObjectMeta"),
          optional(2, "handler", FieldDescriptorProto.Type.TYPE_STRING),
          optional(3, "overhead", ".k8s.io.api.node.v1.Overhead"),
          optional(4, "scheduling", ".k8s.io.api.node.v1.Scheduling")),
      message("RuntimeClassList",
          optional(1, "metadata", META + "ListMeta"),
          repeated(2, "items", ".k8s.io.api.node.v1.RuntimeClass")),
      message("Scheduling",
          stringMap(1, "nodeSelector", ".k8s.io.api.node.v1.Scheduling.NodeSelectorEntry"),
          repeated(2, "tolerations", CORE + "Toleration"))
          .addNestedType(mapEntry("NodeSelectorEntry"))),
      V1.getDescriptor(), Meta.getDescriptor(), Resource.getDescriptor());

  private static final String REGISTRATION = ".k8s.io.kube_aggregator.pkg.apis.apiregistration.v1.";

  static final FileDescriptor APIREGISTRATION_V1 = build(file(
      "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1/generated.proto",
      "k8s.io.kube_aggregator.pkg.apis.apiregistration.v1",
      message("APIService",
          optional(1, "metadata", META + "ObjectMeta"),
          optional(2, "spec", REGISTRATION + "APIServiceSpec"),
          optional(3, "status", REGISTRATION + "APIServiceStatus")),
      message("APIServiceCondition", conditionFields()),
      message("APIServiceList",
          optional(1, "metadata", META + "ListMeta"),
          repeated(2, "items", REGISTRATION + "APIService")),
      message("APIServiceSpec",
          optional(1, "service", REGISTRATION + "ServiceReference"),
          optional(2, "group", FieldDescriptorProto.Type.TYPE_STRING),
          optional(3, "version", FieldDescriptorProto.Type.TYPE_STRING),
          optional(4, "insecureSkipTLSVerify", FieldDescriptorProto.Type.TYPE_BOOL),
          optional(5, "caBundle", FieldDescriptorProto.Type.TYPE_BYTES),
          optional(7, "groupPriorityMinimum", FieldDescriptorProto.Type.TYPE_INT32),
          optional(8, "versionPriority", FieldDescriptorProto.Type.TYPE_INT32)),
      message("APIServiceStatus", repeated(1, "conditions", REGISTRATION + "APIServiceCondition")),
      message("ServiceReference",
          optional(1, "namespace", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "name", FieldDescriptorProto.Type.TYPE_STRING),
          optional(3, "port", FieldDescriptorProto.Type.TYPE_INT32))),
      Meta.getDescriptor());

  private static final String FLOWCONTROL = ".k8s.io.api.flowcontrol.v1.";

  static final FileDescriptor FLOWCONTROL_V1 = build(file("k8s.io/api/flowcontrol/v1/generated.proto",
      "k8s.io.api.flowcontrol.v1",
      message("ExemptPriorityLevelConfiguration",
          optional(1, "nominalConcurrencyShares", FieldDescriptorProto.Type.TYPE_INT32),
          optional(2, "lendablePercent", FieldDescriptorProto.Type.TYPE_INT32)),
      message("FlowDistinguisherMethod", optional(1, "type", FieldDescriptorProto.Type.TYPE_STRING)),
      message("FlowSchema",
          optional(1, "metadata", META + "ObjectMeta"),
          optional(2, "spec", FLOWCONTROL + "FlowSchemaSpec"),
          optional(3, "status", FLOWCONTROL + "FlowSchemaStatus")),
      message("FlowSchemaCondition", conditionFields()),
      message("FlowSchemaList",
          optional(1, "metadata", META + "ListMeta"),
          repeated(2, "items", FLOWCONTROL + "FlowSchema")),
      message("FlowSchemaSpec",
          optional(1, "priorityLevelConfiguration", FLOWCONTROL + "PriorityLevelConfigurationReference"),
          optional(2, "matchingPrecedence", FieldDescriptorProto.Type.TYPE_INT32),
          optional(3, "distinguisherMethod", FLOWCONTROL + "FlowDistinguisherMethod"),
          repeated(4, "rules", FLOWCONTROL + "PolicyRulesWithSubjects")),
      message("FlowSchemaStatus", repeated(1, "conditions", FLOWCONTROL + "FlowSchemaCondition")),
      message("GroupSubject", optional(1, "name", FieldDescriptorProto.Type.TYPE_STRING)),
      message("LimitResponse",
          optional(1, "type", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "queuing", FLOWCONTROL + "QueuingConfiguration")),
      message("LimitedPriorityLevelConfiguration",
          optional(1, "nominalConcurrencyShares", FieldDescriptorProto.Type.TYPE_INT32),
          optional(2, "limitResponse", FLOWCONTROL + "LimitResponse"),
          optional(3, "lendablePercent", FieldDescriptorProto.Type.TYPE_INT32),
          optional(4, "borrowingLimitPercent", FieldDescriptorProto.Type.TYPE_INT32)),
      message("NonResourcePolicyRule",
          repeated(1, "verbs", FieldDescriptorProto.Type.TYPE_STRING),
          repeated(6, "nonResourceURLs", FieldDescriptorProto.Type.TYPE_STRING)),
      message("PolicyRulesWithSubjects",
          repeated(1, "subjects", FLOWCONTROL + "Subject"),
          repeated(2, "resourceRules", FLOWCONTROL + "ResourcePolicyRule"),
          repeated(3, "nonResourceRules", FLOWCONTROL + "NonResourcePolicyRule")),
      message("PriorityLevelConfiguration",
          optional(1, "metadata", META + "ObjectMeta"),
          optional(2, "spec", FLOWCONTROL + "PriorityLevelConfigurationSpec"),
          optional(3, "status", FLOWCONTROL + "PriorityLevelConfigurationStatus")),
      message("PriorityLevelConfigurationCondition", conditionFields()),
      message("PriorityLevelConfigurationList",
          optional(1, "metadata", META + "ListMeta"),
          repeated(2, "items", FLOWCONTROL + "PriorityLevelConfiguration")),
      message("PriorityLevelConfigurationReference", optional(1, "name", FieldDescriptorProto.Type.TYPE_STRING)),
      message("PriorityLevelConfigurationSpec",
          optional(1, "type", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "limited", FLOWCONTROL + "LimitedPriorityLevelConfiguration"),
          optional(3, "exempt", FLOWCONTROL + "ExemptPriorityLevelConfiguration")),
      message("PriorityLevelConfigurationStatus",
          repeated(1, "conditions", FLOWCONTROL + "PriorityLevelConfigurationCondition")),
      message("QueuingConfiguration",
          optional(1, "queues", FieldDescriptorProto.Type.TYPE_INT32),
          optional(2, "handSize", FieldDescriptorProto.Type.TYPE_INT32),
          optional(3, "queueLengthLimit", FieldDescriptorProto.Type.TYPE_INT32)),
      message("ResourcePolicyRule",
          repeated(1, "verbs", FieldDescriptorProto.Type.TYPE_STRING),
          repeated(2, "apiGroups", FieldDescriptorProto.Type.TYPE_STRING),
          repeated(3, "resources", FieldDescriptorProto.Type.TYPE_STRING),
          optional(4, "clusterScope", FieldDescriptorProto.Type.TYPE_BOOL),
          repeated(5, "namespaces", FieldDescriptorProto.Type.TYPE_STRING)),
      message("ServiceAccountSubject",
          optional(1, "namespace", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "name", FieldDescriptorProto.Type.TYPE_STRING)),
      message("Subject",
          optional(1, "kind", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "user", FLOWCONTROL + "UserSubject"),
          optional(3, "group", FLOWCONTROL + "GroupSubject"),
          optional(4, "serviceAccount", FLOWCONTROL + "ServiceAccountSubject")),
      message("UserSubject", optional(1, "name", FieldDescriptorProto.Type.TYPE_STRING))),
      Meta.getDescriptor());

  private static final String EXTENSIONS = ".k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.";

  /**
   * apiextensions.k8s.io/v1 (client-java-proto 21 has only v1beta1, whose CRD spec differs: one version, top-level
   * validation and columns). JSONSchemaProps refers to itself; its {@code $ref}, {@code $schema} and
   * {@code x-kubernetes-*} fields carry their JSON names, which the proto names spell differently.
   */
  static final FileDescriptor APIEXTENSIONS_V1 = build(file(
      "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1/generated.proto",
      "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1",
      message("CustomResourceColumnDefinition",
          optional(1, "name", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "type", FieldDescriptorProto.Type.TYPE_STRING),
          optional(3, "format", FieldDescriptorProto.Type.TYPE_STRING),
          optional(4, "description", FieldDescriptorProto.Type.TYPE_STRING),
          optional(5, "priority", FieldDescriptorProto.Type.TYPE_INT32),
          optional(6, "jsonPath", FieldDescriptorProto.Type.TYPE_STRING)),
      message("CustomResourceConversion",
          optional(1, "strategy", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "webhook", EXTENSIONS + "WebhookConversion")),
      message("CustomResourceDefinition",
          optional(1, "metadata", META + "ObjectMeta"),
          optional(2, "spec", EXTENSIONS + "CustomResourceDefinitionSpec"),
          optional(3, "status", EXTENSIONS + "CustomResourceDefinitionStatus")),
      message("CustomResourceDefinitionCondition", conditionFields())
          .addField(optional(6, "observedGeneration", FieldDescriptorProto.Type.TYPE_INT64)),
      message("CustomResourceDefinitionList",
          optional(1, "metadata", META + "ListMeta"),
          repeated(2, "items", EXTENSIONS + "CustomResourceDefinition")),
      message("CustomResourceDefinitionNames",
          optional(1, "plural", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "singular", FieldDescriptorProto.Type.TYPE_STRING),
          repeated(3, "shortNames", FieldDescriptorProto.Type.TYPE_STRING),
          optional(4, "kind", FieldDescriptorProto.Type.TYPE_STRING),
          optional(5, "listKind", FieldDescriptorProto.Type.TYPE_STRING),
          repeated(6, "categories", FieldDescriptorProto.Type.TYPE_STRING)),
      message("CustomResourceDefinitionSpec",
          optional(1, "group", FieldDescriptorProto.Type.TYPE_STRING),
          optional(3, "names", EXTENSIONS + "CustomResourceDefinitionNames"),
          optional(4, "scope", FieldDescriptorProto.Type.TYPE_STRING),
          repeated(7, "versions", EXTENSIONS + "CustomResourceDefinitionVersion"),
          optional(9, "conversion", EXTENSIONS + "CustomResourceConversion"),
          optional(10, "preserveUnknownFields", FieldDescriptorProto.Type.TYPE_BOOL)),
      message("CustomResourceDefinitionStatus",
          repeated(1, "conditions", EXTENSIONS + "CustomResourceDefinitionCondition"),
          optional(2, "acceptedNames", EXTENSIONS + "CustomResourceDefinitionNames"),
          repeated(3, "storedVersions", FieldDescriptorProto.Type.TYPE_STRING),
          optional(4, "observedGeneration", FieldDescriptorProto.Type.TYPE_INT64)),
      message("CustomResourceDefinitionVersion",
          optional(1, "name", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "served", FieldDescriptorProto.Type.TYPE_BOOL),
          optional(3, "storage", FieldDescriptorProto.Type.TYPE_BOOL),
          optional(7, "deprecated", FieldDescriptorProto.Type.TYPE_BOOL),
          optional(8, "deprecationWarning", FieldDescriptorProto.Type.TYPE_STRING),
          optional(4, "schema", EXTENSIONS + "CustomResourceValidation"),
          optional(5, "subresources", EXTENSIONS + "CustomResourceSubresources"),
          repeated(6, "additionalPrinterColumns", EXTENSIONS + "CustomResourceColumnDefinition"),
          repeated(9, "selectableFields", EXTENSIONS + "SelectableField")),
      message("CustomResourceSubresourceScale",
          optional(1, "specReplicasPath", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "statusReplicasPath", FieldDescriptorProto.Type.TYPE_STRING),
          optional(3, "labelSelectorPath", FieldDescriptorProto.Type.TYPE_STRING)),
      message("CustomResourceSubresourceStatus"),
      message("CustomResourceSubresources",
          optional(1, "status", EXTENSIONS + "CustomResourceSubresourceStatus"),
          optional(2, "scale", EXTENSIONS + "CustomResourceSubresourceScale")),
      message("CustomResourceValidation", optional(1, "openAPIV3Schema", EXTENSIONS + "JSONSchemaProps")),
      message("ExternalDocumentation",
          optional(1, "description", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "url", FieldDescriptorProto.Type.TYPE_STRING)),
      message("JSON", optional(1, "raw", FieldDescriptorProto.Type.TYPE_BYTES)),
      message("JSONSchemaProps",
          optional(1, "id", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "schema", FieldDescriptorProto.Type.TYPE_STRING).setJsonName("$schema"),
          optional(3, "ref", FieldDescriptorProto.Type.TYPE_STRING).setJsonName("$ref"),
          optional(4, "description", FieldDescriptorProto.Type.TYPE_STRING),
          optional(5, "type", FieldDescriptorProto.Type.TYPE_STRING),
          optional(6, "format", FieldDescriptorProto.Type.TYPE_STRING),
          optional(7, "title", FieldDescriptorProto.Type.TYPE_STRING),
          optional(8, "default", EXTENSIONS + "JSON"),
          optional(9, "maximum", FieldDescriptorProto.Type.TYPE_DOUBLE),
          optional(10, "exclusiveMaximum", FieldDescriptorProto.Type.TYPE_BOOL),
          optional(11, "minimum", FieldDescriptorProto.Type.TYPE_DOUBLE),
          optional(12, "exclusiveMinimum", FieldDescriptorProto.Type.TYPE_BOOL),
          optional(13, "maxLength", FieldDescriptorProto.Type.TYPE_INT64),
          optional(14, "minLength", FieldDescriptorProto.Type.TYPE_INT64),
          optional(15, "pattern", FieldDescriptorProto.Type.TYPE_STRING),
          optional(16, "maxItems", FieldDescriptorProto.Type.TYPE_INT64),
          optional(17, "minItems", FieldDescriptorProto.Type.TYPE_INT64),
          optional(18, "uniqueItems", FieldDescriptorProto.Type.TYPE_BOOL),
          optional(19, "multipleOf", FieldDescriptorProto.Type.TYPE_DOUBLE),
          repeated(20, "enum", EXTENSIONS + "JSON"),
          optional(21, "maxProperties", FieldDescriptorProto.Type.TYPE_INT64),
          optional(22, "minProperties", FieldDescriptorProto.Type.TYPE_INT64),
          repeated(23, "required", FieldDescriptorProto.Type.TYPE_STRING),
          optional(24, "items", EXTENSIONS + "JSONSchemaPropsOrArray"),
          repeated(25, "allOf", EXTENSIONS + "JSONSchemaProps"),
          repeated(26, "oneOf", EXTENSIONS + "JSONSchemaProps"),
          repeated(27, "anyOf", EXTENSIONS + "JSONSchemaProps"),
          optional(28, "not", EXTENSIONS + "JSONSchemaProps"),
          repeated(29, "properties", EXTENSIONS + "JSONSchemaProps.PropertiesEntry"),
          optional(30, "additionalProperties", EXTENSIONS + "JSONSchemaPropsOrBool"),
          repeated(31, "patternProperties", EXTENSIONS + "JSONSchemaProps.PatternPropertiesEntry"),
          repeated(32, "dependencies", EXTENSIONS + "JSONSchemaProps.DependenciesEntry"),
          optional(33, "additionalItems", EXTENSIONS + "JSONSchemaPropsOrBool"),
          repeated(34, "definitions", EXTENSIONS + "JSONSchemaProps.DefinitionsEntry"),
          optional(35, "externalDocs", EXTENSIONS + "ExternalDocumentation"),
          optional(36, "example", EXTENSIONS + "JSON"),
          optional(37, "nullable", FieldDescriptorProto.Type.TYPE_BOOL),
          optional(38, "xKubernetesPreserveUnknownFields", FieldDescriptorProto.Type.TYPE_BOOL)
              .setJsonName("x-kubernetes-preserve-unknown-fields"),
          optional(39, "xKubernetesEmbeddedResource", FieldDescriptorProto.Type.TYPE_BOOL)
              .setJsonName("x-kubernetes-embedded-resource"),
          optional(40, "xKubernetesIntOrString", FieldDescriptorProto.Type.TYPE_BOOL)
              .setJsonName("x-kubernetes-int-or-string"),
          repeated(41, "xKubernetesListMapKeys", FieldDescriptorProto.Type.TYPE_STRING)
              .setJsonName("x-kubernetes-list-map-keys"),
          optional(42, "xKubernetesListType", FieldDescriptorProto.Type.TYPE_STRING)
              .setJsonName("x-kubernetes-list-type"),
          optional(43, "xKubernetesMapType", FieldDescriptorProto.Type.TYPE_STRING)
              .setJsonName("x-kubernetes-map-type"),
          repeated(44, "xKubernetesValidations", EXTENSIONS + "ValidationRule")
              .setJsonName("x-kubernetes-validations"))
          .addNestedType(mapEntry("PropertiesEntry", EXTENSIONS + "JSONSchemaProps"))
          .addNestedType(mapEntry("PatternPropertiesEntry", EXTENSIONS + "JSONSchemaProps"))
          .addNestedType(mapEntry("DependenciesEntry", EXTENSIONS + "JSONSchemaPropsOrStringArray"))
          .addNestedType(mapEntry("DefinitionsEntry", EXTENSIONS + "JSONSchemaProps")),
      message("JSONSchemaPropsOrArray",
          optional(1, "schema", EXTENSIONS + "JSONSchemaProps"),
          repeated(2, "jSONSchemas", EXTENSIONS + "JSONSchemaProps")),
      message("JSONSchemaPropsOrBool",
          optional(1, "allows", FieldDescriptorProto.Type.TYPE_BOOL),
          optional(2, "schema", EXTENSIONS + "JSONSchemaProps")),
      message("JSONSchemaPropsOrStringArray",
          optional(1, "schema", EXTENSIONS + "JSONSchemaProps"),
          repeated(2, "property", FieldDescriptorProto.Type.TYPE_STRING)),
      message("SelectableField", optional(1, "jsonPath", FieldDescriptorProto.Type.TYPE_STRING)),
      message("ServiceReference",
          optional(1, "namespace", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "name", FieldDescriptorProto.Type.TYPE_STRING),
          optional(3, "path", FieldDescriptorProto.Type.TYPE_STRING),
          optional(4, "port", FieldDescriptorProto.Type.TYPE_INT32)),
      message("ValidationRule",
          optional(1, "rule", FieldDescriptorProto.Type.TYPE_STRING),
          optional(2, "message", FieldDescriptorProto.Type.TYPE_STRING),
          optional(3, "messageExpression", FieldDescriptorProto.Type.TYPE_STRING),
          optional(4, "reason", FieldDescriptorProto.Type.TYPE_STRING),
          optional(5, "fieldPath", FieldDescriptorProto.Type.TYPE_STRING),
          optional(6, "optionalOldSelf", FieldDescriptorProto.Type.TYPE_BOOL)),
      message("WebhookClientConfig",
          optional(3, "url", FieldDescriptorProto.Type.TYPE_STRING),
          optional(1, "service", EXTENSIONS + "ServiceReference"),
          optional(2, "caBundle", FieldDescriptorProto.Type.TYPE_BYTES)),
      message("WebhookConversion",
          optional(2, "clientConfig", EXTENSIONS + "WebhookClientConfig"),
          repeated(3, "conversionReviewVersions", FieldDescriptorProto.Type.TYPE_STRING))),
      Meta.getDescriptor());

  /**
   * autoscaling/v2: the messages of v2beta2 (the same fields and numbers; v2 was promoted from it unchanged) under
   * the v2 package.
   */
  static final FileDescriptor AUTOSCALING_V2 = renamed(V2beta2Autoscaling.getDescriptor(), "v2beta2", "v2");

  private SupplementalDescriptors() {}

  /** A file's messages under another version of its package, referring to each other there. */
  private static FileDescriptor renamed(FileDescriptor source, String fromVersion, String toVersion) {
    String fromPackage = source.getPackage();
    String toPackage = fromPackage.substring(0, fromPackage.length() - fromVersion.length()) + toVersion;
    FileDescriptorProto.Builder file = source.toProto().toBuilder()
        .setName(source.getName().replace("/" + fromVersion + "/", "/" + toVersion + "/"))
        .setPackage(toPackage)
        .clearOptions();
    for (DescriptorProto.Builder message : file.getMessageTypeBuilderList()) {
      for (FieldDescriptorProto.Builder field : message.getFieldBuilderList()) {
        if (field.getTypeName().startsWith("." + fromPackage + ".")) {
          field.setTypeName("." + toPackage + field.getTypeName().substring(fromPackage.length() + 1));
        }
      }
    }
    try {
      return FileDescriptor.buildFrom(file.build(),
          source.getDependencies().toArray(FileDescriptor[]::new));
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("invalid renamed descriptor " + file.getName(), e);
    }
  }

  private static FileDescriptorProto.Builder file(String name, String packageName, DescriptorProto.Builder... messages) {
    FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder()
        .setName(name)
        .setPackage(packageName)
        .setSyntax("proto2");
    for (DescriptorProto.Builder message : messages) {
      file.addMessageType(message);
    }
    return file;
  }

  private static DescriptorProto.Builder message(String name, FieldDescriptorProto.Builder... fields) {
    DescriptorProto.Builder message = DescriptorProto.newBuilder().setName(name);
    for (FieldDescriptorProto.Builder field : fields) {
      message.addField(field);
    }
    return message;
  }

  /** The five fields of the API conditions that have them in this order (type, status, time, reason, message). */
  private static FieldDescriptorProto.Builder[] conditionFields() {
    return new FieldDescriptorProto.Builder[] {
        optional(1, "type", FieldDescriptorProto.Type.TYPE_STRING),
        optional(2, "status", FieldDescriptorProto.Type.TYPE_STRING),
        optional(3, "lastTransitionTime", META + "Time"),
        optional(4, "reason", FieldDescriptorProto.Type.TYPE_STRING),
        optional(5, "message", FieldDescriptorProto.Type.TYPE_STRING)};
  }

  /** The entry of a map<string, string>. */
  private static DescriptorProto.Builder mapEntry(String name) {
    return mapEntry(name, optional(2, "value", FieldDescriptorProto.Type.TYPE_STRING));
  }

  /** The entry of a map from strings to a message (map<string, Quantity>). */
  private static DescriptorProto.Builder mapEntry(String name, String valueType) {
    return mapEntry(name, optional(2, "value", valueType));
  }

  private static DescriptorProto.Builder mapEntry(String name, FieldDescriptorProto.Builder value) {
    return message(name, optional(1, "key", FieldDescriptorProto.Type.TYPE_STRING), value)
        .setOptions(MessageOptions.newBuilder().setMapEntry(true));
  }

  private static FieldDescriptorProto.Builder field(int number, String name, FieldDescriptorProto.Label label) {
    return FieldDescriptorProto.newBuilder().setNumber(number).setName(name).setJsonName(name).setLabel(label);
  }

  private static FieldDescriptorProto.Builder optional(int number, String name, FieldDescriptorProto.Type type) {
    return field(number, name, FieldDescriptorProto.Label.LABEL_OPTIONAL).setType(type);
  }

  private static FieldDescriptorProto.Builder optional(int number, String name, String messageType) {
    return field(number, name, FieldDescriptorProto.Label.LABEL_OPTIONAL)
        .setType(FieldDescriptorProto.Type.TYPE_MESSAGE).setTypeName(messageType);
  }

  private static FieldDescriptorProto.Builder repeated(int number, String name, FieldDescriptorProto.Type type) {
    return field(number, name, FieldDescriptorProto.Label.LABEL_REPEATED).setType(type);
  }

  private static FieldDescriptorProto.Builder repeated(int number, String name, String messageType) {
    return field(number, name, FieldDescriptorProto.Label.LABEL_REPEATED)
        .setType(FieldDescriptorProto.Type.TYPE_MESSAGE).setTypeName(messageType);
  }

  private static FieldDescriptorProto.Builder stringMap(int number, String name, String entryType) {
    return repeated(number, name, entryType);
  }

  private static FileDescriptor build(FileDescriptorProto.Builder file, FileDescriptor... dependencies) {
    for (FileDescriptor dependency : dependencies) {
      file.addDependency(dependency.getName());
    }
    try {
      return FileDescriptor.buildFrom(file.build(), dependencies);
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("invalid supplemental descriptor " + file.getName(), e);
    }
  }
}
