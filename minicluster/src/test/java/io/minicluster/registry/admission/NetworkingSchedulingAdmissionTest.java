package io.minicluster.registry.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.WriteOptions;
import io.minicluster.registry.scheduling.PriorityClassStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The DefaultIngressClass, Priority and RuntimeClass admission plugins over lists of classes. */
class NetworkingSchedulingAdmissionTest {
  private final List<ObjectNode> classes = new ArrayList<>();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private Optional<ObjectNode> find(String name) {
    return classes.stream().filter(c -> Meta.name(c).equals(name)).findFirst();
  }

  private static ObjectNode pod(String spec) {
    return json("{'metadata':{'name':'web','namespace':'default'},'spec':" + spec + "}");
  }

  @Test
  void anIngressWithoutAClassGetsTheNewestDefaultClass() {
    DefaultIngressClass plugin = new DefaultIngressClass(() -> classes);
    ObjectNode ingress = json("{'metadata':{'name':'web'},'spec':{}}");
    plugin.admitCreate(ResourceTypes.INGRESSES, ingress, WriteOptions.DEFAULT);
    assertThat(ingress.at("/spec/ingressClassName").isMissingNode()).as("no default class").isTrue();

    classes.add(json("{'metadata':{'name':'nginx','creationTimestamp':'2026-12-07T09:00:00Z','annotations':"
        + "{'ingressclass.kubernetes.io/is-default-class':'true'}},'spec':{'controller':'k8s.io/ingress-nginx'}}"));
    classes.add(json("{'metadata':{'name':'other','creationTimestamp':'2026-12-07T10:00:00Z'},'spec':{}}"));
    plugin.admitCreate(ResourceTypes.INGRESSES, ingress, WriteOptions.DEFAULT);
    assertThat(ingress.at("/spec/ingressClassName").asText()).isEqualTo("nginx");

    ObjectNode annotated = json("{'metadata':{'name':'old','annotations':{'kubernetes.io/ingress.class':'x'}},"
        + "'spec':{}}");
    plugin.admitCreate(ResourceTypes.INGRESSES, annotated, WriteOptions.DEFAULT);
    assertThat(annotated.at("/spec/ingressClassName").isMissingNode()).isTrue();
  }

  @Test
  void aPodGetsThePriorityOfItsClassOrOfTheGlobalDefault() {
    PriorityAdmission plugin = new PriorityAdmission(this::find, () -> classes);
    classes.add(PriorityClassStrategy.systemClass("system-cluster-critical"));
    classes.add(json("{'metadata':{'name':'batch'},'value':100,'preemptionPolicy':'Never'}"));

    ObjectNode none = pod("{}");
    plugin.admitCreate(ResourceTypes.PODS, none, WriteOptions.DEFAULT);
    assertThat(none.at("/spec/priority").asLong()).isZero();
    assertThat(none.at("/spec/preemptionPolicy").asText()).isEqualTo("PreemptLowerPriority");

    ObjectNode critical = pod("{'priorityClassName':'system-cluster-critical'}");
    plugin.admitCreate(ResourceTypes.PODS, critical, WriteOptions.DEFAULT);
    assertThat(critical.at("/spec/priority").asLong()).isEqualTo(2000000000L);

    ObjectNode batch = pod("{'priorityClassName':'batch'}");
    plugin.admitCreate(ResourceTypes.PODS, batch, WriteOptions.DEFAULT);
    assertThat(batch.at("/spec/priority").asLong()).isEqualTo(100);
    assertThat(batch.at("/spec/preemptionPolicy").asText()).isEqualTo("Never");

    classes.add(json("{'metadata':{'name':'standard'},'value':10,'globalDefault':true,"
        + "'preemptionPolicy':'PreemptLowerPriority'}"));
    ObjectNode defaulted = pod("{}");
    plugin.admitCreate(ResourceTypes.PODS, defaulted, WriteOptions.DEFAULT);
    assertThat(defaulted.at("/spec/priority").asLong()).isEqualTo(10);
    assertThat(defaulted.at("/spec/priorityClassName").asText()).isEqualTo("standard");

    ObjectNode updated = pod("{'priorityClassName':'batch'}");
    plugin.admitUpdate(ResourceTypes.PODS, updated, batch, WriteOptions.DEFAULT);
    assertThat(updated.at("/spec/priority").asLong()).as("kept on update").isEqualTo(100);
  }

  @Test
  void unknownClassesGivenPrioritiesSecondDefaultsAndSystemDeletionsAreForbidden() {
    PriorityAdmission plugin = new PriorityAdmission(this::find, () -> classes);
    classes.add(json("{'metadata':{'name':'standard'},'value':10,'globalDefault':true}"));

    assertThatThrownBy(() -> plugin.admitCreate(ResourceTypes.PODS, pod("{'priorityClassName':'x'}"),
        WriteOptions.DEFAULT)).isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(403);
          assertThat(e.getMessage()).isEqualTo("pods \"web\" is forbidden: no PriorityClass with name x was found");
        });
    assertThatThrownBy(() -> plugin.admitCreate(ResourceTypes.PODS, pod("{'priority':5}"), WriteOptions.DEFAULT))
        .hasMessage("pods \"web\" is forbidden: the integer value of priority (5) must not be provided in pod spec; "
            + "priority admission controller computed 10 from the given PriorityClass name");
    assertThatThrownBy(() -> plugin.admitCreate(ResourceTypes.PRIORITY_CLASSES,
        json("{'metadata':{'name':'other'},'value':1,'globalDefault':true}"), WriteOptions.DEFAULT))
        .hasMessage("priorityclasses.scheduling.k8s.io \"other\" is forbidden: PriorityClass standard is already "
            + "marked as default. Only one default can exist");
    plugin.admitUpdate(ResourceTypes.PRIORITY_CLASSES, classes.get(0), classes.get(0), WriteOptions.DEFAULT);
    assertThatThrownBy(() -> plugin.admitDelete(ResourceTypes.PRIORITY_CLASSES,
        PriorityClassStrategy.systemClass("system-node-critical")))
        .hasMessage("priorityclasses.scheduling.k8s.io \"system-node-critical\" is forbidden: this is a system "
            + "priority class and cannot be deleted");
  }

  @Test
  void aPodGetsItsRuntimeClassOverheadAndScheduling() {
    RuntimeClassAdmission plugin = new RuntimeClassAdmission(this::find);
    classes.add(json("{'metadata':{'name':'kata'},'handler':'kata','overhead':{'podFixed':{'cpu':'250m'}},"
        + "'scheduling':{'nodeSelector':{'runtime':'kata'},'tolerations':[{'key':'kata','operator':'Exists'}]}}"));

    ObjectNode pod = pod("{'runtimeClassName':'kata','nodeSelector':{'disk':'ssd'},'tolerations':[{'key':'kata',"
        + "'operator':'Exists','effect':'NoSchedule'}]}");
    plugin.admitCreate(ResourceTypes.PODS, pod, WriteOptions.DEFAULT);
    assertThat(pod.at("/spec/overhead").toString()).isEqualTo("{\"cpu\":\"250m\"}");
    assertThat(pod.at("/spec/nodeSelector").toString()).isEqualTo("{\"disk\":\"ssd\",\"runtime\":\"kata\"}");
    assertThat(pod.at("/spec/tolerations").toString()).as("the class's toleration covers the pod's")
        .isEqualTo("[{\"key\":\"kata\",\"operator\":\"Exists\"}]");

    assertThatThrownBy(() -> plugin.admitCreate(ResourceTypes.PODS, pod("{'runtimeClassName':'gvisor'}"),
        WriteOptions.DEFAULT)).hasMessage("pods \"web\" is forbidden: pod rejected: RuntimeClass \"gvisor\" not found");
    assertThatThrownBy(() -> plugin.admitCreate(ResourceTypes.PODS, pod("{'runtimeClassName':'kata','overhead':"
        + "{'cpu':'1'}}"), WriteOptions.DEFAULT))
        .hasMessage("pods \"web\" is forbidden: pod rejected: Pod's Overhead doesn't match RuntimeClass's defined "
            + "Overhead");
    assertThatThrownBy(() -> plugin.admitCreate(ResourceTypes.PODS, pod("{'overhead':{'cpu':'1'}}"),
        WriteOptions.DEFAULT)).hasMessage("pods \"web\" is forbidden: pod rejected: Pod Overhead set without "
            + "corresponding RuntimeClass defined Overhead");
    // the Java client sends an empty overhead map on every pod: no overhead
    plugin.admitCreate(ResourceTypes.PODS, pod("{'overhead':{}}"), WriteOptions.DEFAULT);
    assertThatThrownBy(() -> plugin.admitCreate(ResourceTypes.PODS, pod("{'runtimeClassName':'kata',"
        + "'nodeSelector':{'runtime':'runc'}}"), WriteOptions.DEFAULT))
        .hasMessage("pods \"web\" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[runtime] = kata; "
            + "pod.spec.nodeSelector[runtime] = runc");
  }
}
