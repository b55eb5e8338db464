package io.minicluster.apiserver.schema;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.V1;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The core/v1beta3 types of Pod, ReplicationController and Service (and Binding): core/v1's messages under package
 * {@code k8s.io.api.core.v1beta3}, with the field names v1beta3 had where v1 renamed them (pkg/api/v1beta3/types.go and
 * conversion.go of Kubernetes 1.0): PodSpec {@code host} (v1 nodeName) and {@code serviceAccount} (v1
 * serviceAccountName; v1's deprecated alias of the same name goes), Container's deprecated {@code privileged} and
 * {@code capabilities} besides its securityContext, ContainerState {@code termination} (v1 terminated), PodStatus
 * {@code Condition} (v1 conditions), ServiceSpec {@code portalIP} (v1 clusterIP), {@code publicIPs} (v1 externalIPs)
 * and {@code createExternalLoadBalancer} (v1 type LoadBalancer).
 *
 * <p>Fields v1 gained after 1.0 keep their v1 names here, as v1beta3 gained them with the internal types while it
 * was served; an object read through v1beta3 thus loses nothing when written back.
 */
final class V1beta3Descriptors {
  static final String PACKAGE = "k8s.io.api.core.v1beta3";
  private static final String V1_PACKAGE = "k8s.io.api.core.v1";

  /** The kinds served in v1beta3; every core message they reach is copied with them. */
  private static final List<String> ROOTS = List.of("Pod", "PodList", "ReplicationController",
      "ReplicationControllerList", "Service", "ServiceList", "Binding");

  static final FileDescriptor CORE_V1BETA3 = build();

  private V1beta3Descriptors() {}

  /**
   * The full name of the core/v1 message a core/v1beta3 message copies ("k8s.io.api.core.v1beta3.PodSpec" →
   * "k8s.io.api.core.v1.PodSpec"); other names unchanged.
   */
  static String v1Name(String fullName) {
    return fullName.startsWith(PACKAGE + ".") ? V1_PACKAGE + fullName.substring(PACKAGE.length()) : fullName;
  }

  private static FileDescriptor build() {
    FileDescriptorProto v1 = V1.getDescriptor().toProto();
    Map<String, DescriptorProto> messages = new LinkedHashMap<>();
    for (DescriptorProto message : v1.getMessageTypeList()) {
      messages.put(message.getName(), message);
    }
    Map<String, DescriptorProto> copied = new LinkedHashMap<>();
    Deque<String> pending = new ArrayDeque<>(ROOTS);
    while (!pending.isEmpty()) {
      String name = pending.poll();
      if (copied.containsKey(name)) {
        continue;
      }
      DescriptorProto message = messages.get(name);
      if (message == null) {
        throw new IllegalStateException("core/v1 has no message " + name);
      }
      copied.put(name, message);
      referencedCoreMessages(message, pending);
    }
    FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder()
        .setName("k8s.io/api/core/v1beta3/generated.proto")
        .setPackage(PACKAGE)
        .setSyntax(v1.getSyntax())
        .addAllDependency(v1.getDependencyList());
    for (DescriptorProto message : copied.values()) {
      file.addMessageType(edit(repackaged(message.toBuilder())));
    }
    try {
      return FileDescriptor.buildFrom(file.build(), V1.getDescriptor().getDependencies().toArray(FileDescriptor[]::new));
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("invalid core/v1beta3 descriptor", e);
    }
  }

  /** Queues the simple names of the core/v1 messages a message's fields (and its map entries' fields) refer to. */
  private static void referencedCoreMessages(DescriptorProto message, Deque<String> pending) {
    String prefix = "." + V1_PACKAGE + ".";
    for (FieldDescriptorProto field : message.getFieldList()) {
      if (field.getTypeName().startsWith(prefix)) {
        String name = field.getTypeName().substring(prefix.length());
        // map entry types are nested messages: "Message.FieldEntry"
        pending.add(name.contains(".") ? name.substring(0, name.indexOf('.')) : name);
      }
    }
    for (DescriptorProto nested : message.getNestedTypeList()) {
      referencedCoreMessages(nested, pending);
    }
  }

  /** The message with its references to core/v1 messages pointed at their core/v1beta3 copies. */
  private static DescriptorProto.Builder repackaged(DescriptorProto.Builder message) {
    String from = "." + V1_PACKAGE + ".";
    String to = "." + PACKAGE + ".";
    for (FieldDescriptorProto.Builder field : message.getFieldBuilderList()) {
      if (field.getTypeName().startsWith(from)) {
        field.setTypeName(to + field.getTypeName().substring(from.length()));
      }
    }
    for (DescriptorProto.Builder nested : message.getNestedTypeBuilderList()) {
      repackaged(nested);
    }
    return message;
  }

  /** v1beta3's names and fields where they differ from v1's. */
  private static DescriptorProto edit(DescriptorProto.Builder message) {
    switch (message.getName()) {
      case "PodSpec" -> {
        remove(message, "serviceAccount");
        rename(message, "serviceAccountName", "serviceAccount");
        rename(message, "nodeName", "host");
      }
      case "Container" -> {
        add(message, "privileged", FieldDescriptorProto.Type.TYPE_BOOL, null);
        add(message, "capabilities", FieldDescriptorProto.Type.TYPE_MESSAGE, "." + PACKAGE + ".Capabilities");
      }
      case "ContainerState" -> rename(message, "terminated", "termination");
      case "PodStatus" -> rename(message, "conditions", "Condition");
      case "ServiceSpec" -> {
        rename(message, "clusterIP", "portalIP");
        rename(message, "externalIPs", "publicIPs");
        add(message, "createExternalLoadBalancer", FieldDescriptorProto.Type.TYPE_BOOL, null);
      }
      default -> {
        // as in v1
      }
    }
    return message.build();
  }

  private static int index(DescriptorProto.Builder message, String name) {
    for (int i = 0; i < message.getFieldCount(); i++) {
      if (message.getField(i).getName().equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("core/v1 " + message.getName() + " has no field " + name);
  }

  private static void remove(DescriptorProto.Builder message, String name) {
    message.removeField(index(message, name));
  }

  private static void rename(DescriptorProto.Builder message, String from, String to) {
    message.getFieldBuilder(index(message, from)).setName(to).setJsonName(to);
  }

  private static void add(DescriptorProto.Builder message, String name, FieldDescriptorProto.Type type,
      String typeName) {
    int number = 1;
    for (FieldDescriptorProto field : message.getFieldList()) {
      number = Math.max(number, field.getNumber() + 1);
    }
    FieldDescriptorProto.Builder field = message.addFieldBuilder().setName(name).setJsonName(name).setNumber(number)
        .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL).setType(type);
    if (typeName != null) {
      field.setTypeName(typeName);
    }
  }
}
