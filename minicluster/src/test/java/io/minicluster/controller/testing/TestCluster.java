package io.minicluster.controller.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.apiextensions.CustomResources;
import io.minicluster.client.Client;
import io.minicluster.client.Controller;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.controller.ControllerLoop;
import io.minicluster.json.Json;
import io.minicluster.registry.Admission;
import io.minicluster.registry.DefaultStrategy;
import io.minicluster.registry.subresource.Subresources;
import io.minicluster.server.CustomResourceServing;
import io.minicluster.testing.InProcessApi;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A real API path for controller tests: a SqliteStore in a temporary directory, the registries as the daemon builds
 * them (strategies and metadata validation, no admission plugins), an in-process client and shared informers.
 */
public final class TestCluster implements AutoCloseable {
  private final InProcessApi api;
  private final Client client;
  private final SharedInformers informers;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  public TestCluster(Path directory) {
    this(directory, List.of());
  }

  /** With admission plugins, e.g. one that rejects some writes to provoke controller failures. */
  public TestCluster(Path directory, List<Admission> admissions) {
    api = InProcessApi.open(directory, Clock.systemUTC(), admissions);
    client = api.client();
    informers = new SharedInformers(client);
  }

  public Client client() {
    return client;
  }

  public SharedInformers informers() {
    return informers;
  }

  /**
   * Serves the custom resources of the definitions as they are established, as the daemon's wiring does (with default
   * strategies: no schema).
   */
  public void serveCustomResources() {
    CustomResources resources = new CustomResources();
    api.registries().serveCustomResources(resources, served -> new DefaultStrategy(served.type()));
    CustomResourceServing.follow(informers, resources);
  }

  /** The registries' subresource operations (what no client call covers, e.g. a CSR's approval). */
  public Subresources subresources() {
    return api.subresources();
  }

  /**
   * Runs a controller as the daemon's wiring does: builds its work queue, the controller on it, and the runner of its
   * workers, started now and stopped before the informers and the store.
   */
  public <T extends ControllerLoop> T run(String name, int workers, Function<WorkQueue, T> build) {
    WorkQueue queue = new WorkQueue(name);
    T loop = build.apply(queue);
    closeLater(new Controller(name, queue, loop, loop.informers(), workers)).start();
    return loop;
  }

  /** Closes the given resource (e.g. a controller) before the informers and the store. */
  public <T extends AutoCloseable> T closeLater(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  public ObjectNode createNamespace(String name) {
    return client.create(ResourceTypes.NAMESPACES, null, Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"}}"));
  }

  public List<ObjectNode> list(ResourceType type, String namespace) {
    return client.list(type, namespace, ListOptions.ALL).items();
  }

  /** Read-modify-write that retries on conflicts with the controllers' writes. */
  public ObjectNode modify(ResourceType type, String namespace, String name,
      UnaryOperator<ObjectNode> change) {
    return client.modify(type, namespace, name, change);
  }

  /** A pod object with one container; labels as "k=v" pairs. */
  public static ObjectNode pod(String name, String... labels) {
    ObjectNode pod = Json.parseObject("{\"metadata\":{\"name\":\"" + name + "\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
    ObjectNode labelNode = pod.with("metadata").putObject("labels");
    for (String label : labels) {
      String[] parts = label.split("=", 2);
      labelNode.put(parts[0], parts[1]);
    }
    return pod;
  }

  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        // best effort
      }
    }
    informers.close();
    api.close();
  }
}
