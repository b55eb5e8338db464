package io.minicluster.registry.admission;

import io.minicluster.client.LocalClient;
import io.minicluster.registry.FieldTrackers;
import io.minicluster.registry.subresource.Subresources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.apiserver.schema.FieldValidation;
import io.minicluster.client.Client;
import io.minicluster.client.Controller;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.namespace.NamespaceController;
import io.minicluster.controller.testing.Eventually;
import io.minicluster.json.Json;
import io.minicluster.api.meta.DeleteOptions;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.registry.Registries;
import io.minicluster.registry.WriteOptions;
import io.minicluster.registry.validation.MetadataValidation;
import io.minicluster.server.Conversions;
import io.minicluster.server.Strategies;
import io.minicluster.store.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster IPs and node ports through the real write path (SQLite store, registries, the allocator as admission
 * plugin): whatever leaves the store, by any path, is free again; nothing a failed or dry-run write asked for stays
 * taken.
 */
class ServiceAllocationTest {
  private static final String ALREADY_ALLOCATED_IP = "Service \"%s\" is invalid: spec.clusterIPs: Invalid value: "
      + "[]string{\"%s\"}: failed to allocate IP %s: provided IP is already allocated";

  @TempDir
  Path directory;
  private SqliteStore store;
  private Registries registries;
  private Client client;

  @BeforeEach
  void open() {
    open("10.96.0.0/12");
  }

  private void open(String serviceCidr) {
    store = SqliteStore.open(directory, SqliteStore.Options.defaults());
    ServiceAllocator allocator = new ServiceAllocator(serviceCidr,
        () -> registries.get(ResourceTypes.SERVICES).list(null, ListOptions.ALL).items());
    registries = new Registries(store, Clock.systemUTC(), Strategies::forType, new Admissions(List.of(allocator)),
        MetadataValidation.validator(Strategies::forType),
        (type, object) -> FieldValidation.checkTypes(type.apiVersion(), type.kind(), object),
        Conversions.ALL);
    client = new LocalClient(registries, new Subresources(registries, Clock.systemUTC()), FieldTrackers.NONE,
        "test");
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static ObjectNode service(String name, String spec) {
    return Json.parseObject(("{'metadata':{'name':'" + name + "'},'spec':" + spec + "}").replace('\'', '"'));
  }

  private ObjectNode create(String name, String spec) {
    return client.create(ResourceTypes.SERVICES, "default", service(name, spec));
  }

  private void delete(String name) {
    client.delete(ResourceTypes.SERVICES, "default", name, DeleteOptions.DEFAULT);
  }

  private static String message(Runnable write) {
    try {
      write.run();
    } catch (ApiException e) {
      return e.getMessage();
    }
    throw new AssertionError("the write succeeded");
  }

  private static int nodePort(ObjectNode service, int index) {
    return service.path("spec").path("ports").path(index).path("nodePort").asInt();
  }

  @Test
  void anExplicitClusterIpIsTakenWhileItsServiceExistsAndFreeOnceItIsDeleted() {
    create("x", "{'clusterIP':'10.96.5.5','ports':[{'port':80}]}");
    assertThat(message(() -> create("y", "{'clusterIP':'10.96.5.5','ports':[{'port':80}]}")))
        .isEqualTo(ALREADY_ALLOCATED_IP.formatted("y", "10.96.5.5", "10.96.5.5"));

    delete("x");
    ObjectNode again = create("y", "{'clusterIP':'10.96.5.5','ports':[{'port':80}]}");
    assertThat(Json.textOrNull(again, "spec", "clusterIP")).isEqualTo("10.96.5.5");
    assertThat(Json.at(again, "spec", "clusterIPs").toString()).isEqualTo("[\"10.96.5.5\"]");
  }

  @Test
  void anExplicitNodePortIsFreeOnceItsServiceIsDeleted() {
    create("x", "{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}");
    assertThat(message(() -> create("y", "{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}")))
        .isEqualTo("Service \"y\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is "
            + "already allocated");

    delete("x");
    assertThat(nodePort(create("y", "{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}"), 0))
        .isEqualTo(30080);
  }

  @Test
  void switchingFromNodePortToClusterIpReleasesTheNodePorts() {
    create("x", "{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}");
    // a merge patch of the type keeps the node ports in the body: they go with the type
    ObjectNode updated = client.modify(ResourceTypes.SERVICES, "default", "x", service -> {
      service.with("spec").put("type", "ClusterIP");
      return service;
    });
    assertThat(updated.path("spec").path("ports").path(0).has("nodePort")).isFalse();
    assertThat(updated.path("spec").has("externalTrafficPolicy")).isFalse();

    assertThat(nodePort(create("y", "{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}"), 0))
        .isEqualTo(30080);
  }

  @Test
  void droppingAPortOrChangingANodePortReleasesTheOldNodePort() {
    create("x", "{'type':'NodePort','ports':[{'name':'a','port':80,'nodePort':30080},"
        + "{'name':'b','port':81,'nodePort':30081}]}");
    client.modify(ResourceTypes.SERVICES, "default", "x", service -> {
      service.with("spec").putArray("ports").add(Json.parseObject("{\"name\":\"b\",\"port\":81,\"nodePort\":30082}"));
      return service;
    });
    assertThat(nodePort(create("y", "{'type':'NodePort','ports':[{'name':'a','port':80,'nodePort':30080},"
        + "{'name':'b','port':81,'nodePort':30081}]}"), 1)).isEqualTo(30081);
    assertThat(message(() -> create("z", "{'type':'NodePort','ports':[{'port':80,'nodePort':30082}]}")))
        .endsWith("spec.ports[0].nodePort: Invalid value: 30082: provided port is already allocated");
  }

  @Test
  void anUpdateMayNotTakeANodePortAnotherServiceHolds() {
    create("x", "{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}");
    create("y", "{'type':'NodePort','ports':[{'port':80}]}");
    assertThat(message(() -> client.modify(ResourceTypes.SERVICES, "default", "y", service -> {
      ((ObjectNode) service.path("spec").path("ports").get(0)).put("nodePort", 30080);
      return service;
    }))).isEqualTo("Service \"y\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is "
        + "already allocated");
  }

  @Test
  void anUpdateThatLeavesNodePortsOutKeepsThemByPortName() {
    ObjectNode created = create("x", "{'type':'NodePort','ports':[{'name':'web','port':80}]}");
    ObjectNode body = service("x", "{'type':'NodePort','ports':[{'name':'web','port':8080}]}");
    body.with("metadata").put("namespace", "default")
        .put("resourceVersion", created.path("metadata").path("resourceVersion").asText());
    ObjectNode replaced = client.update(ResourceTypes.SERVICES, body);
    assertThat(nodePort(replaced, 0)).isEqualTo(nodePort(created, 0));
    assertThat(Json.textOrNull(replaced, "spec", "clusterIP")).isEqualTo(Json.textOrNull(created, "spec", "clusterIP"));
  }

  @Test
  void externalNameServicesHoldNoClusterIpAndSwitchingToOneReleasesIt() {
    ObjectNode external = create("ext", "{'type':'ExternalName','externalName':'db.example.com'}");
    assertThat(external.path("spec").has("clusterIP")).isFalse();
    assertThat(external.path("spec").has("clusterIPs")).isFalse();

    create("x", "{'clusterIP':'10.96.5.6','ports':[{'port':80}]}");
    ObjectNode switched = client.modify(ResourceTypes.SERVICES, "default", "x", service -> {
      service.with("spec").put("type", "ExternalName").put("externalName", "db.example.com");
      return service;
    });
    assertThat(switched.path("spec").has("clusterIP")).isFalse();
    assertThat(switched.path("spec").has("clusterIPs")).isFalse();
    assertThat(switched.path("spec").has("ipFamilies")).isFalse();
    assertThat(Json.textOrNull(create("y", "{'clusterIP':'10.96.5.6','ports':[{'port':80}]}"), "spec", "clusterIP"))
        .isEqualTo("10.96.5.6");

    // and back: the service gets a fresh cluster IP
    ObjectNode back = client.modify(ResourceTypes.SERVICES, "default", "x", service -> {
      service.with("spec").put("type", "ClusterIP").remove("externalName");
      service.with("spec").putArray("ports").add(Json.parseObject("{\"port\":80}"));
      return service;
    });
    String ip = Json.textOrNull(back, "spec", "clusterIP");
    assertThat(ip).startsWith("10.").isNotEqualTo("10.96.5.6");
    assertThat(Json.at(back, "spec", "clusterIPs").toString()).isEqualTo("[\"" + ip + "\"]");
    assertThat(Json.at(back, "spec", "ipFamilies").toString()).isEqualTo("[\"IPv4\"]");
    assertThat(Json.textOrNull(back, "spec", "ipFamilyPolicy")).isEqualTo("SingleStack");
    assertThat(message(() -> create("z", "{'clusterIP':'" + ip + "','ports':[{'port':80}]}")))
        .isEqualTo(ALREADY_ALLOCATED_IP.formatted("z", ip, ip));
  }

  @Test
  void aFailedCreateKeepsNothingAllocated() {
    // admitted, then rejected by validation: the port name is not a DNS label
    assertThat(message(() -> create("x", "{'type':'NodePort','clusterIP':'10.96.5.7',"
        + "'ports':[{'name':'Web','port':80,'nodePort':30090}]}"))).startsWith("Service \"x\" is invalid");
    // rejected by the store: the name is taken
    create("taken", "{'ports':[{'port':80}]}");
    assertThat(message(() -> create("taken", "{'type':'NodePort','clusterIP':'10.96.5.8',"
        + "'ports':[{'port':80,'nodePort':30091}]}"))).isEqualTo("services \"taken\" already exists");

    ObjectNode first = create("y", "{'type':'NodePort','clusterIP':'10.96.5.7','ports':[{'port':80,'nodePort':30090}]}");
    ObjectNode second = create("z", "{'type':'NodePort','clusterIP':'10.96.5.8','ports':[{'port':80,'nodePort':30091}]}");
    assertThat(nodePort(first, 0)).isEqualTo(30090);
    assertThat(nodePort(second, 0)).isEqualTo(30091);
  }

  @Test
  void aFailedUpdateKeepsNothingAllocated() {
    create("x", "{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}");
    // the new node port is admitted, then validation rejects the update (a second port without a name)
    assertThat(message(() -> client.modify(ResourceTypes.SERVICES, "default", "x", service -> {
      service.with("spec").putArray("ports").add(Json.parseObject("{\"port\":80,\"nodePort\":30085}"))
          .add(Json.parseObject("{\"port\":81}"));
      return service;
    }))).startsWith("Service \"x\" is invalid");
    assertThat(nodePort(create("y", "{'type':'NodePort','ports':[{'port':80,'nodePort':30085}]}"), 0))
        .isEqualTo(30085);
    // and the service that failed to change keeps its own port
    assertThat(message(() -> create("z", "{'type':'NodePort','ports':[{'port':80,'nodePort':30080}]}")))
        .endsWith("provided port is already allocated");
  }

  @Test
  void aDryRunCreateKeepsNothingAllocated() {
    GenericRegistry services = registries.get(ResourceTypes.SERVICES);
    ObjectNode dry = services.create("default", service("x", "{'type':'NodePort','clusterIP':'10.96.5.9',"
        + "'ports':[{'port':80,'nodePort':30095}]}"), new WriteOptions(true, null));
    assertThat(Json.textOrNull(dry, "spec", "clusterIP")).isEqualTo("10.96.5.9");
    assertThat(client.find(ResourceTypes.SERVICES, "default", "x")).isEmpty();

    ObjectNode real = create("y", "{'type':'NodePort','clusterIP':'10.96.5.9','ports':[{'port':80,'nodePort':30095}]}");
    assertThat(nodePort(real, 0)).isEqualTo(30095);
    // a dry run still sees what is taken
    assertThat(message(() -> services.create("default", service("z", "{'clusterIP':'10.96.5.9',"
        + "'ports':[{'port':80}]}"), new WriteOptions(true, null))))
        .isEqualTo(ALREADY_ALLOCATED_IP.formatted("z", "10.96.5.9", "10.96.5.9"));
  }

  @Test
  void deletingANamespaceFreesTheAddressesOfItsServices() {
    client.create(ResourceTypes.NAMESPACES, null, Json.parseObject("{\"metadata\":{\"name\":\"team\"}}"));
    client.create(ResourceTypes.SERVICES, "team", service("x", "{'type':'NodePort','clusterIP':'10.96.6.6',"
        + "'ports':[{'port':80,'nodePort':30066}]}"));
    SharedInformers informers = new SharedInformers(client);
    WorkQueue queue = new WorkQueue("namespace");
    NamespaceController namespaces = new NamespaceController(client, informers, queue, Clock.systemUTC());
    try (Controller controller = new Controller("namespace", queue, namespaces, namespaces.informers(), 1)) {
      controller.start();
      client.delete(ResourceTypes.NAMESPACES, null, "team", DeleteOptions.DEFAULT);
      Eventually.assertThat(() -> assertThat(client.find(ResourceTypes.NAMESPACES, null, "team")).isEmpty());
    } finally {
      informers.close();
    }
    ObjectNode again = create("y", "{'type':'NodePort','clusterIP':'10.96.6.6','ports':[{'port':80,'nodePort':30066}]}");
    assertThat(Json.textOrNull(again, "spec", "clusterIP")).isEqualTo("10.96.6.6");
  }

  @Test
  void afterARestartTheStoredServicesHoldTheirAddresses() {
    // a /29 has five addresses to hand out (.2 to .6): the network, .1 and the broadcast address are not
    close();
    open("10.0.0.0/29");
    create("explicit", "{'type':'NodePort','clusterIP':'10.0.0.2','ports':[{'port':80,'nodePort':30070}]}");
    create("a", "{'ports':[{'port':80}]}");
    create("b", "{'ports':[{'port':80}]}");
    close();

    open("10.0.0.0/29");
    assertThat(message(() -> create("c", "{'clusterIP':'10.0.0.2','ports':[{'port':80}]}")))
        .isEqualTo(ALREADY_ALLOCATED_IP.formatted("c", "10.0.0.2", "10.0.0.2"));
    assertThat(message(() -> create("c", "{'type':'NodePort','ports':[{'port':80,'nodePort':30070}]}")))
        .endsWith("provided port is already allocated");
    create("c", "{'ports':[{'port':80}]}");
    create("d", "{'ports':[{'port':80}]}");
    assertThat(message(() -> create("e", "{'ports':[{'port':80}]}")))
        .isEqualTo("Internal error occurred: failed to allocate a serviceIP: range is full");
    List<String> ips = client.list(ResourceTypes.SERVICES, "default", ListOptions.ALL).items().stream()
        .map(service -> Json.textOrNull(service, "spec", "clusterIP")).sorted().toList();
    assertThat(ips).containsExactly("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6");
    // the network and broadcast addresses are not in the range
    assertThat(message(() -> create("f", "{'clusterIP':'10.0.0.7','ports':[{'port':80}]}")))
        .endsWith("failed to allocate IP 10.0.0.7: the provided IP (10.0.0.7) is not in the valid range. The range "
            + "of valid IPs is 10.0.0.0/29");
  }
}
