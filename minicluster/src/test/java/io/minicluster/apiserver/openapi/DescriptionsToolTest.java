package io.minicluster.apiserver.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DescriptionsToolTest {

  @Test
  void clientModelsAreNamedAfterVersionAndKindWithTheGroupWhenSeveralGroupsShareTheKind() {
    assertThat(Descriptions.clientModelNames("io.k8s.api.core.v1.PodSpec")).containsExactly("CoreV1PodSpec", "V1PodSpec");
    assertThat(Descriptions.clientModelNames("io.k8s.api.events.v1.Event")).containsExactly("EventsV1Event", "V1Event");
    assertThat(Descriptions.clientModelNames("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"))
        .containsExactly("V1ObjectMeta");
    assertThat(Descriptions.clientModelNames("io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler"))
        .containsExactly("AutoscalingV2HorizontalPodAutoscaler", "V2HorizontalPodAutoscaler");
    assertThat(Descriptions.clientModelNames(
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ServiceReference")).containsExactly("ApiextensionsV1ServiceReference", "V1ServiceReference");
  }

  @Test
  void protoCommentsBecomeDescriptionsAsTheApiDocumentsThem() {
    assertThat(DescriptionsTool.ProtoComments.description(List.of(
        "Standard object's metadata.", "More info: https://example.com/#metadata", "+optional")))
        .isEqualTo("Standard object's metadata. More info: https://example.com/#metadata");
    assertThat(DescriptionsTool.ProtoComments.description(List.of(
        "First paragraph", "goes on.", "", "Second &lt;one&gt; &amp; &#92;escapes&#47;.", "TODO: drop this",
        "Example:", "  indented: line", "after.", "---", "internal notes")))
        .isEqualTo("First paragraph goes on.\n\nSecond <one> & \\escapes/. Example:\n  indented: line\nafter.");
  }

  @Test
  void protocJavadocGivesEachFieldItsCommentAndType() {
    String source = """
          // @@protoc_insertion_point(interface_extends:k8s.io.api.core.v1.Pod)
          com.google.protobuf.MessageOrBuilder {
        /**
         * <pre>
         * Standard object's metadata.
         * +optional
         * </pre>
         *
         * <code>optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;</code>
         */
        boolean hasMetadata();
        /**
         * <pre>
         * Another copy, ignored.
         * </pre>
         *
         * <code>optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;</code>
         */
        Object getMetadata();
        /**
         * <code>optional string uncommented = 3;</code>
         */
        String getUncommented();
        /**
         * <pre>
         * Labels.
         * </pre>
         *
         * <code>map&lt;string, string&gt; labels = 2;</code>
         */
        int getLabelsCount();
          // @@protoc_insertion_point(interface_extends:k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps)
          com.google.protobuf.MessageOrBuilder {
        /**
         * <pre>
         * x-kubernetes-list-map-keys annotates an array.
         * </pre>
         *
         * <code>repeated string xKubernetesListMapKeys = 41;</code>
         */
        int getXKubernetesListMapKeysCount();
        """;
    Map<String, Map<String, DescriptionsTool.ProtoComments.Field>> comments = new HashMap<>();
    DescriptionsTool.ProtoComments.parse(source, comments);
    Map<String, DescriptionsTool.ProtoComments.Field> pod = comments.get("io.k8s.api.core.v1.Pod");
    assertThat(pod).containsOnlyKeys("metadata", "labels");
    assertThat(pod.get("metadata")).isEqualTo(new DescriptionsTool.ProtoComments.Field("Standard object's metadata.",
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
    assertThat(pod.get("labels").comment()).isEqualTo("Labels.");
    assertThat(comments.get("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"))
        .containsOnlyKeys("x-kubernetes-list-map-keys");
  }
}
