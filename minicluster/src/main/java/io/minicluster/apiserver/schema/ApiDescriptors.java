package io.minicluster.apiserver.schema;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Admissionregistration;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Certificates;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Scheduling;
import io.kubernetes.client.proto.V1Storage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which protobuf message carries each Kubernetes kind (group/version/kind → descriptor). Top-level kinds are the
 * messages of a group-version's {@code generated.proto} that have a {@code metadata} field; the meta/v1 option kinds
 * (DeleteOptions and friends) and Status are accepted under every group-version, as Kubernetes registers them
 * everywhere.
 */
public final class ApiDescriptors {
  private static final String OBJECT_META = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta";
  private static final String LIST_META = "k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta";
  private static final Set<String> OPTION_KINDS = Set.of(
      "DeleteOptions", "CreateOptions", "UpdateOptions", "PatchOptions", "GetOptions", "ListOptions", "Status");

  private static final Map<String, FileDescriptor> FILES = files();

  private ApiDescriptors() {}

  private static Map<String, FileDescriptor> files() {
    Map<String, FileDescriptor> files = new LinkedHashMap<>();
    files.put("v1", V1.getDescriptor());
    files.put("apps/v1", V1Apps.getDescriptor());
    files.put("batch/v1", V1Batch.getDescriptor());
    files.put("autoscaling/v1", V1Autoscaling.getDescriptor());
    files.put("autoscaling/v2", SupplementalDescriptors.AUTOSCALING_V2);
    files.put("policy/v1", V1Policy.getDescriptor());
    files.put("authorization.k8s.io/v1", V1Authorization.getDescriptor());
    files.put("authentication.k8s.io/v1", V1Authentication.getDescriptor());
    files.put("rbac.authorization.k8s.io/v1", V1Rbac.getDescriptor());
    files.put("networking.k8s.io/v1", V1Networking.getDescriptor());
    files.put("storage.k8s.io/v1", V1Storage.getDescriptor());
    files.put("scheduling.k8s.io/v1", V1Scheduling.getDescriptor());
    files.put("certificates.k8s.io/v1", V1Certificates.getDescriptor());
    files.put("admissionregistration.k8s.io/v1", V1Admissionregistration.getDescriptor());
    files.put("discovery.k8s.io/v1", SupplementalDescriptors.DISCOVERY_V1);
    files.put("coordination.k8s.io/v1", SupplementalDescriptors.COORDINATION_V1);
    files.put("events.k8s.io/v1", SupplementalDescriptors.EVENTS_V1);
    files.put("node.k8s.io/v1", SupplementalDescriptors.NODE_V1);
    files.put("apiregistration.k8s.io/v1", SupplementalDescriptors.APIREGISTRATION_V1);
    files.put("flowcontrol.apiserver.k8s.io/v1", SupplementalDescriptors.FLOWCONTROL_V1);
    files.put("apiextensions.k8s.io/v1", SupplementalDescriptors.APIEXTENSIONS_V1);
    files.put("v1beta3", V1beta3Descriptors.CORE_V1BETA3);
    return Collections.unmodifiableMap(files);
  }

  /** The message of apiVersion + kind, e.g. ("apps/v1", "Deployment"), or empty when not known. */
  public static Optional<Descriptor> find(String apiVersion, String kind) {
    requireNonNull(apiVersion, "apiVersion is null");
    requireNonNull(kind, "kind is null");
    if (OPTION_KINDS.contains(kind) && (FILES.containsKey(apiVersion) || apiVersion.equals("meta.k8s.io/v1"))) {
      return Optional.ofNullable(Meta.getDescriptor().findMessageTypeByName(kind));
    }
    FileDescriptor file = FILES.get(apiVersion);
    if (file == null) {
      return Optional.empty();
    }
    Descriptor descriptor = file.findMessageTypeByName(kind);
    if (descriptor == null || !isKind(descriptor)) {
      return Optional.empty();
    }
    return Optional.of(descriptor);
  }

  /** Whether a message is a top-level kind (has object or list metadata, or is a meta/v1 option kind). */
  public static boolean isKind(Descriptor descriptor) {
    if (descriptor.getFile() == Meta.getDescriptor() && OPTION_KINDS.contains(descriptor.getName())) {
      return true;
    }
    FieldDescriptor metadata = descriptor.findFieldByName("metadata");
    if (metadata == null || metadata.getType() != FieldDescriptor.Type.MESSAGE) {
      return false;
    }
    String type = metadata.getMessageType().getFullName();
    return type.equals(OBJECT_META) || type.equals(LIST_META);
  }

  /**
   * Every (apiVersion, kind) pair whose message is this descriptor, in the order of {@link #apiVersions()}:
   * one for most kinds, every group-version for DeleteOptions and the other option kinds.
   */
  public static List<GroupVersionKind> kindsOf(Descriptor descriptor) {
    List<GroupVersionKind> result = new ArrayList<>();
    for (Map.Entry<String, FileDescriptor> file : FILES.entrySet()) {
      Optional<Descriptor> found = find(file.getKey(), descriptor.getName());
      if (found.isPresent() && found.get() == descriptor) {
        result.add(GroupVersionKind.of(file.getKey(), descriptor.getName()));
      }
    }
    return result;
  }

  /** The apiVersions with known descriptors. */
  public static Set<String> apiVersions() {
    return FILES.keySet();
  }
}
