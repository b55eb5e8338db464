package io.minicluster.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;

import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatchSchemaTest {

  @Test
  void everyReferencedTypeIsDefined() {
    for (String name : PatchSchema.typeNames()) {
      PatchSchema type = PatchSchema.named(name).orElseThrow();
      assertThat(PatchSchema.typeNames()).as("types referenced by " + name)
          .containsAll(type.referencedTypeNames());
    }
  }

  @Test
  void everyServedKindHasObjectMeta() {
    for (ResourceType type : ResourceTypes.SERVED) {
      PatchSchema schema = PatchSchema.forKind(type.apiVersion(), type.kind());
      PatchSchema.Field ownerReferences = schema.field("metadata").type().field("ownerReferences");
      assertThat(ownerReferences.strategy()).as(type.kind()).isEqualTo(PatchSchema.Strategy.MERGE);
      assertThat(ownerReferences.mergeKey()).isEqualTo("uid");
    }
  }

  /** apiVersion, kind, field path (dots), strategy, merge key. */
  @ParameterizedTest
  @CsvSource({
      "v1, Pod, spec.containers, MERGE, name",
      "v1, Pod, spec.containers.ports, MERGE, containerPort",
      "v1, Pod, spec.containers.volumeMounts, MERGE, mountPath",
      "v1, Pod, spec.ephemeralContainers.env, MERGE, name",
      "v1, Pod, spec.volumes, MERGE, name",
      "v1, Pod, spec.tolerations, NONE, ''",
      "v1, Pod, spec.containers.envFrom, NONE, ''",
      "v1, Pod, spec.containers.resizePolicy, NONE, ''",
      "v1, Pod, spec.topologySpreadConstraints, MERGE, topologyKey",
      "v1, Pod, status.containerStatuses, NONE, ''",
      "v1, Pod, status.podIPs, MERGE, ip",
      "v1, Pod, metadata.finalizers, MERGE, ''",
      "v1, Node, spec.taints, NONE, ''",
      "v1, Node, status.addresses, MERGE, type",
      "v1, Node, status.images, NONE, ''",
      "v1, Endpoints, subsets, NONE, ''",
      "v1, Service, spec.ports, MERGE, port",
      "apps/v1, Deployment, spec.template.spec.initContainers, MERGE, name",
      "apps/v1, Deployment, status.conditions, MERGE, type",
      "apps/v1, StatefulSet, spec.template.spec.containers.env, MERGE, name",
      "batch/v1, CronJob, spec.jobTemplate.spec.template.spec.containers, MERGE, name",
      "policy/v1, PodDisruptionBudget, spec.selector, REPLACE, ''",
      "discovery.k8s.io/v1, EndpointSlice, endpoints, NONE, ''",
      "apiregistration.k8s.io/v1, APIService, status.conditions, MERGE, type",
      "flowcontrol.apiserver.k8s.io/v1, FlowSchema, status.conditions, MERGE, type",
      "certificates.k8s.io/v1, CertificateSigningRequest, status.conditions, NONE, ''",
      "v1beta3, Pod, spec.containers, MERGE, name",
      "v1beta3, Pod, spec.containers.volumeMounts, MERGE, name",
      "v1beta3, Pod, spec.initContainers.env, MERGE, name",
      "v1beta3, Pod, status.Condition, MERGE, type",
      "v1beta3, Pod, status.conditions, NONE, ''",
      "v1beta3, ReplicationController, spec.template.spec.containers.ports, MERGE, containerPort",
      "v1beta3, Service, spec.ports, NONE, ''"})
  void tags(String apiVersion, String kind, String path, PatchSchema.Strategy strategy, String mergeKey) {
    PatchSchema schema = PatchSchema.forKind(apiVersion, kind);
    String[] steps = path.split("\\.");
    for (int i = 0; i < steps.length - 1; i++) {
      schema = schema.field(steps[i]).type();
    }
    PatchSchema.Field field = schema.field(steps[steps.length - 1]);

    assertThat(field.strategy()).isEqualTo(strategy);
    assertThat(field.mergeKey()).isEqualTo(mergeKey);
  }

  @Test
  void retainKeysFields() {
    assertThat(PatchSchema.forKind("apps/v1", "Deployment").field("spec").type().field("strategy").retainKeys())
        .isTrue();
    assertThat(PatchSchema.forKind("v1", "Pod").field("spec").type().field("volumes").retainKeys()).isTrue();
    assertThat(PatchSchema.forKind("v1", "Pod").field("spec").type().field("containers").retainKeys()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"v1, true", "apps/v1, true", "discovery.k8s.io/v1, true", "example.com/v1, false",
      "stable.example.io/v1beta1, false", "custom/v1, true"})
  void strategicMergeOnlyForBuiltInGroups(String apiVersion, boolean supported) {
    assertThat(PatchSchema.supportsStrategicMerge(apiVersion)).isEqualTo(supported);
  }
}
