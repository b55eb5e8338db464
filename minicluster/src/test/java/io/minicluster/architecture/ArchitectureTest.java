package io.minicluster.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.minicluster.client.Controller;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.LocalClient;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of ARCHITECTURE.md, checked on the compiled main classes of the daemon and of socks-gateway
 * (test classes are left out). Each direct child package of {@code io.minicluster} is one slice.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.minicluster");
  }

  /** No cycle between top-level packages: dependencies between them point one way. */
  static final ArchRule NO_CYCLES = slices().matching("io.minicluster.(*)..").namingSlices("$1")
      .should().beFreeOfCycles();

  /** socks-gateway is a module of its own: it imports nothing of the daemon that embeds it. */
  static final ArchRule SOCKS_STANDS_ALONE = noClasses().that().resideInAPackage("io.minicluster.socks..")
      .should().dependOnClassesThat(resideInAPackage("io.minicluster..")
          .and(resideOutsideOfPackage("io.minicluster.socks..")));

  /** The API's consumers go through the client: never the store or the API server. */
  static final ArchRule CONSUMERS_USE_THE_CLIENT = noClasses().that().resideInAnyPackage(
          "io.minicluster.controller..", "io.minicluster.scheduler..", "io.minicluster.agent..",
          "io.minicluster.gateway..", "io.minicluster.node..", "io.minicluster.proxy..", "io.minicluster.dns..")
      .should().dependOnClassesThat().resideInAnyPackage("io.minicluster.store..", "io.minicluster.apiserver..");

  /**
   * Consumers that read the API only through the client's informers and records import nothing of the registry:
   * every consumer package, and the DNS server, which answers from its own narrow directory.
   */
  static final List<String> REGISTRY_FREE_CONSUMERS = List.of("io.minicluster.controller..",
      "io.minicluster.scheduler..", "io.minicluster.agent..", "io.minicluster.node..", "io.minicluster.gateway..",
      "io.minicluster.proxy..", "io.minicluster.dns..");

  /**
   * Only the wiring ({@code server}) and the CLI build the shared parts: the in-process client, the shared informers,
   * work queues, the runners of reconcile loops ({@code client.Controller}: a consumer is the reconciler the wiring
   * runs, never its own runner), event recorders and thread pools are handed to the consumers, never made by them.
   * (The Docker client in {@code agent.runtime} keeps the one timer thread of its engine connection, as a library
   * would.)
   */
  static final ArchRule ONLY_THE_WIRING_CONSTRUCTS = noClasses().that().resideInAnyPackage(
          "io.minicluster.controller..", "io.minicluster.scheduler..", "io.minicluster.agent..",
          "io.minicluster.gateway..", "io.minicluster.node..", "io.minicluster.proxy..", "io.minicluster.dns..")
      .and().resideOutsideOfPackage("io.minicluster.agent.runtime..")
      .should().callConstructorWhere(target(owner(assignableTo(LocalClient.class).or(assignableTo(SharedInformers.class))
          .or(assignableTo(WorkQueue.class)).or(assignableTo(Controller.class)).or(assignableTo(EventRecorder.class))
          .or(assignableTo(ThreadPoolExecutor.class)))))
      .orShould().callMethodWhere(target(owner(type(Executors.class))))
      .because("components are constructed in the wiring only and receive what they need");

  static ArchRule consumerImportsNoRegistry(String consumer) {
    return noClasses().that().resideInAPackage(consumer)
        .should().dependOnClassesThat().resideInAPackage("io.minicluster.registry..")
        .because("consumers read the API through client and api, never the registry behind it");
  }

  /** The service proxy reads typed records through client informers only: no store, API server or registry. */
  static final ArchRule PROXY_READS_THROUGH_THE_CLIENT = noClasses().that().resideInAPackage("io.minicluster.proxy..")
      .should().dependOnClassesThat().resideInAnyPackage("io.minicluster.store..", "io.minicluster.apiserver..",
          "io.minicluster.registry..");

  /** The store is storage only: no Netty, no HTTP, no registry. */
  static final ArchRule STORE_IS_STORAGE_ONLY = noClasses().that().resideInAPackage("io.minicluster.store..")
      .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "java.net.http..",
          "io.minicluster.apiserver..", "io.minicluster.registry..");

  /** The registry knows resources and the store, not the wire: no Netty, no API server. */
  static final ArchRule REGISTRY_KNOWS_NO_WIRE = noClasses().that().resideInAPackage("io.minicluster.registry..")
      .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.minicluster.apiserver..");

  /** The registry root is the contract its per-kind sub-packages build on; it names none of them. */
  static final ArchRule REGISTRY_ROOT_NAMES_NO_KIND = noClasses().that().resideInAPackage("io.minicluster.registry")
      .should().dependOnClassesThat().resideInAPackage("io.minicluster.registry.*..");

  @Test
  void topLevelPackagesHaveNoCycles() {
    NO_CYCLES.check(classes);
  }

  @Test
  void socksGatewayImportsNothingOfTheDaemon() {
    SOCKS_STANDS_ALONE.check(classes);
  }

  @Test
  void consumersImportNeitherStoreNorApiServer() {
    CONSUMERS_USE_THE_CLIENT.check(classes);
  }

  @Test
  void consumersOnRecordsImportNoRegistry() {
    for (String consumer : REGISTRY_FREE_CONSUMERS) {
      consumerImportsNoRegistry(consumer).check(classes);
    }
  }

  @Test
  void onlyTheWiringConstructsSharedParts() {
    ONLY_THE_WIRING_CONSTRUCTS.check(classes);
  }

  @Test
  void proxyImportsNeitherStoreApiServerNorRegistry() {
    PROXY_READS_THROUGH_THE_CLIENT.check(classes);
  }

  @Test
  void storeImportsNoNettyHttpOrRegistry() {
    STORE_IS_STORAGE_ONLY.check(classes);
  }

  @Test
  void registryImportsNoNettyOrApiServer() {
    REGISTRY_KNOWS_NO_WIRE.check(classes);
  }

  @Test
  void registryRootImportsNoSubPackage() {
    REGISTRY_ROOT_NAMES_NO_KIND.check(classes);
  }
}
