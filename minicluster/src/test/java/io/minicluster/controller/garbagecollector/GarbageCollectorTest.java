package io.minicluster.controller.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.apiextensions.CustomResourceDefinition;
import io.minicluster.controller.apiextensions.CustomResourceDefinitionController;
import io.minicluster.controller.testing.ClusterTest;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.controller.testing.TestCluster;
import io.minicluster.json.Json;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest extends ClusterTest {
  private static final String NS = "default";
  private GarbageCollector collector;

  @BeforeEach
  void start() {
    cluster.createNamespace(NS);
    collector = cluster.run("garbage-collector", 2, queue -> new GarbageCollector(client, cluster.informers(), queue));
  }

  private ObjectNode configMap(String name, ObjectNode... owners) {
    ObjectNode object = Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"}}");
    for (ObjectNode owner : owners) {
      ObjectNode reference = object.with("metadata").withArray("ownerReferences").addObject();
      reference.put("apiVersion", "v1");
      reference.put("kind", "ConfigMap");
      reference.put("name", Meta.name(owner));
      reference.put("uid", Meta.uid(owner));
      reference.put("blockOwnerDeletion", true);
    }
    return client.create(ResourceTypes.CONFIG_MAPS, NS, object);
  }

  private boolean exists(String name) {
    return client.find(ResourceTypes.CONFIG_MAPS, NS, name).isPresent();
  }

  @Test
  void backgroundDeletionRemovesDependentsWhoseOwnersAreAllGone() {
    ObjectNode owner = configMap("owner");
    ObjectNode other = configMap("other");
    configMap("only-child", owner);
    configMap("shared-child", owner, other);
    ObjectNode pod = TestCluster.pod("owned-pod");
    pod.with("metadata").withArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "ConfigMap")
        .put("name", "owner").put("uid", Meta.uid(owner));
    client.create(ResourceTypes.PODS, NS, pod);

    client.delete(ResourceTypes.CONFIG_MAPS, NS, "owner", DeleteOptions.DEFAULT);

    Eventually.assertThat(() -> {
      assertThat(exists("only-child")).isFalse();
      assertThat(client.find(ResourceTypes.PODS, NS, "owned-pod")).isEmpty();
      ObjectNode shared = client.get(ResourceTypes.CONFIG_MAPS, NS, "shared-child");
      assertThat(shared.at("/metadata/ownerReferences")).hasSize(1);
      assertThat(shared.at("/metadata/ownerReferences/0/name").asText()).isEqualTo("other");
    });
    assertThat(exists("other")).isTrue();
  }

  @Test
  void dependentsOfAnOwnerThatNeverExistedAreCollectedAndLiveOwnersKeepTheirs() {
    ObjectNode ghost = Json.parseObject("{\"metadata\":{\"name\":\"ghost\",\"uid\":\"00000000-0000-0000-0000-000000000001\"}}");
    ObjectNode live = configMap("live");
    configMap("orphaned", ghost);
    configMap("kept", live);
    Eventually.assertThat(() -> assertThat(exists("orphaned")).isFalse());
    assertThat(exists("kept")).isTrue();
  }

  @Test
  void foregroundDeletionWaitsForBlockingDependents() {
    ObjectNode owner = configMap("owner");
    ObjectNode child = configMap("child", owner);
    ObjectNode grandChild = Json.parseObject("{\"metadata\":{\"name\":\"grand-child\","
        + "\"finalizers\":[\"example.com/hold\"]}}");
    grandChild.with("metadata").withArray("ownerReferences").addObject().put("apiVersion", "v1")
        .put("kind", "ConfigMap").put("name", "child").put("uid", Meta.uid(child)).put("blockOwnerDeletion", true);
    client.create(ResourceTypes.CONFIG_MAPS, NS, grandChild);

    client.delete(ResourceTypes.CONFIG_MAPS, NS, "owner", new DeleteOptions(null, "Foreground", null, null, false));

    // the grand-child is held by its finalizer: child and owner wait in foreground deletion
    Eventually.assertThat(() -> {
      assertThat(Meta.deleting(client.get(ResourceTypes.CONFIG_MAPS, NS, "grand-child"))).isTrue();
      ObjectNode childNow = client.get(ResourceTypes.CONFIG_MAPS, NS, "child");
      assertThat(Meta.deleting(childNow)).isTrue();
      assertThat(childNow.at("/metadata/finalizers").toString()).contains("foregroundDeletion");
    });
    ObjectNode ownerNow = client.get(ResourceTypes.CONFIG_MAPS, NS, "owner");
    assertThat(ownerNow.at("/metadata/finalizers").toString()).contains("foregroundDeletion");

    cluster.modify(ResourceTypes.CONFIG_MAPS, NS, "grand-child", current -> {
      current.with("metadata").remove("finalizers");
      return current;
    });
    Eventually.assertThat(() -> {
      assertThat(exists("grand-child")).isFalse();
      assertThat(exists("child")).isFalse();
      assertThat(exists("owner")).isFalse();
    });
  }

  @Test
  void foregroundDeletionDoesNotWaitForNonBlockingDependents() {
    ObjectNode owner = configMap("owner");
    ObjectNode loose = Json.parseObject("{\"metadata\":{\"name\":\"loose\",\"finalizers\":[\"example.com/hold\"]}}");
    loose.with("metadata").withArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "ConfigMap")
        .put("name", "owner").put("uid", Meta.uid(owner));
    client.create(ResourceTypes.CONFIG_MAPS, NS, loose);

    client.delete(ResourceTypes.CONFIG_MAPS, NS, "owner", new DeleteOptions(null, "Foreground", null, null, false));
    Eventually.assertThat(() -> {
      assertThat(exists("owner")).isFalse();
      assertThat(Meta.deleting(client.get(ResourceTypes.CONFIG_MAPS, NS, "loose"))).isTrue();
    });
  }

  @Test
  void orphanDeletionRemovesTheOwnerReferenceAndKeepsDependents() {
    ObjectNode owner = configMap("owner");
    configMap("child-a", owner);
    configMap("child-b", owner);

    client.delete(ResourceTypes.CONFIG_MAPS, NS, "owner", new DeleteOptions(null, "Orphan", null, null, false));

    Eventually.assertThat(() -> assertThat(exists("owner")).isFalse());
    // give a wrong cascade the chance to happen before checking that it did not
    Eventually.assertThat(() -> {
      for (String name : new String[] {"child-a", "child-b"}) {
        ObjectNode child = client.get(ResourceTypes.CONFIG_MAPS, NS, name);
        assertThat(child.at("/metadata/ownerReferences").isMissingNode()).as(name).isTrue();
      }
    });
    assertThat(exists("child-a")).isTrue();
    assertThat(exists("child-b")).isTrue();
  }

  @Test
  void eventsAreNotMonitoredAsUpstreamIgnoresThem() {
    assertThat(collector.informers()).extracting(informer -> informer.type().groupResource())
        .contains("configmaps", "pods")
        .doesNotContain("events", "events.events.k8s.io");
  }

  @Test
  void anEventNamingAGoneOwnerIsLeftToItsTtl() {
    ObjectNode owner = configMap("owner");
    ObjectNode event = Json.parseObject("{\"metadata\":{\"name\":\"owned-event\"},"
        + "\"involvedObject\":{\"kind\":\"ConfigMap\",\"name\":\"owner\"},\"reason\":\"Test\"}");
    event.with("metadata").withArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "ConfigMap")
        .put("name", "owner").put("uid", Meta.uid(owner));
    client.create(ResourceTypes.EVENTS, NS, event);
    configMap("child", owner);

    client.delete(ResourceTypes.CONFIG_MAPS, NS, "owner", DeleteOptions.DEFAULT);

    Eventually.assertThat(() -> assertThat(exists("child")).isFalse());
    assertThat(client.find(ResourceTypes.EVENTS, NS, "owned-event")).isPresent();
  }

  /** An established definition of namespaced CronTabs (stable.example.com/v1), by the CRD controller. */
  private ResourceType cronTabs() {
    cluster.serveCustomResources();
    cluster.run("customresourcedefinition", 1, queue -> new CustomResourceDefinitionController(client,
        cluster.informers(), queue, Clock.systemUTC()));
    client.create(ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS, null, Json.parseObject("""
        {"metadata":{"name":"crontabs.stable.example.com"},
         "spec":{"group":"stable.example.com","scope":"Namespaced","names":{"plural":"crontabs","kind":"CronTab"},
          "versions":[{"name":"v1","served":true,"storage":true,
           "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}"""));
    Eventually.assertThat(() -> assertThat(CustomResourceDefinition.of(
        client.get(ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS, null, "crontabs.stable.example.com")).established())
        .isTrue());
    ResourceType type = CustomResourceDefinition.of(client.get(ResourceTypes.CUSTOM_RESOURCE_DEFINITIONS, null,
        "crontabs.stable.example.com")).storageType();
    // served once the catalog's informer has seen it established, a moment after the write that says so
    Eventually.assertThat(() -> assertThat(client.list(type, NS, ListOptions.ALL).items()).isEmpty());
    return type;
  }

  private static void ownedBy(ObjectNode object, String apiVersion, String kind, ObjectNode owner) {
    object.with("metadata").withArray("ownerReferences").addObject().put("apiVersion", apiVersion)
        .put("kind", kind).put("name", Meta.name(owner)).put("uid", Meta.uid(owner)).put("blockOwnerDeletion", true);
  }

  /** The CronTab "tab" and "tab-config", an operator's ConfigMap owned by it. */
  private void tabOwningItsConfigMap(ResourceType cronTabs) {
    ObjectNode tab = client.create(cronTabs, NS, Json.parseObject("{\"metadata\":{\"name\":\"tab\"}}"));
    ObjectNode child = Json.parseObject("{\"metadata\":{\"name\":\"tab-config\"}}");
    ownedBy(child, "stable.example.com/v1", "CronTab", tab);
    client.create(ResourceTypes.CONFIG_MAPS, NS, child);
  }

  @Test
  void customResourcesOwnAndAreOwnedAsBuiltInObjectsAre() {
    ResourceType cronTabs = cronTabs();
    tabOwningItsConfigMap(cronTabs);
    // a custom resource owned by a built-in object
    ObjectNode owner = configMap("owner");
    ObjectNode ownedTab = Json.parseObject("{\"metadata\":{\"name\":\"owned-tab\"}}");
    ownedBy(ownedTab, "v1", "ConfigMap", owner);
    client.create(cronTabs, NS, ownedTab);

    client.delete(cronTabs, NS, "tab", DeleteOptions.DEFAULT);
    client.delete(ResourceTypes.CONFIG_MAPS, NS, "owner", DeleteOptions.DEFAULT);

    Eventually.assertThat(() -> {
      assertThat(exists("tab-config")).isFalse();
      assertThat(client.find(cronTabs, NS, "owned-tab")).isEmpty();
    });
  }

  @Test
  void aCustomResourceDeletedInForegroundGoesOnceItsDependentsAreGone() {
    ResourceType cronTabs = cronTabs();
    tabOwningItsConfigMap(cronTabs);

    client.delete(cronTabs, NS, "tab", new DeleteOptions(null, "Foreground", null, null, false));

    Eventually.assertThat(() -> {
      assertThat(exists("tab-config")).isFalse();
      assertThat(client.find(cronTabs, NS, "tab")).isEmpty();
    });
  }
}
