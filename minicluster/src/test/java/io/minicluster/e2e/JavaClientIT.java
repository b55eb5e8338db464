package io.minicluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import java.io.FileReader;
import java.io.Reader;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Kubernetes Java client (io.kubernetes:client-java) against a live daemon, with the admin kubeconfig
 * as written: typed CRUD, strategic-merge patch, Status errors as ApiException, a raw watch and a shared informer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaClientIT {
  private DaemonProcess daemon;
  private ApiClient client;
  private final Set<String> providersBefore = new HashSet<>();
  private CoreV1Api core;

  @BeforeAll
  void start(@TempDir Path temp) throws Exception {
    for (Provider provider : Security.getProviders()) {
      providersBefore.add(provider.getName());
    }
    daemon = new DaemonProcess(temp.resolve("data"), List.of("--no-node-agent", "--socks-port", "-1")).start();
    try (Reader reader = new FileReader(daemon.kubeconfig().toFile())) {
      client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(reader)).build();
    }
    client.setReadTimeout(0);
    core = new CoreV1Api(client);
  }

  @AfterAll
  void stop() throws Exception {
    // client-java registers BouncyCastle as a JCA provider for the whole JVM; later tests in this JVM then fail to
    // validate our certificates with the JDK's own TLS client ("Path does not chain with any of the trust anchors")
    for (Provider provider : Security.getProviders()) {
      if (!providersBefore.contains(provider.getName())) {
        Security.removeProvider(provider.getName());
      }
    }
    if (daemon != null) {
      assertThat(daemon.stop()).as("clean exit on SIGTERM").isZero();
    }
  }

  @Test
  void typedCrudPatchAndErrors() throws Exception {
    assertThat(core.listNamespace().execute().getItems()).extracting(ns -> ns.getMetadata().getName())
        .contains("default", "kube-system");
    V1Pod pod = new V1Pod().metadata(new V1ObjectMeta().name("java-client").labels(Map.of("app", "jc")))
        .spec(new V1PodSpec().containers(List.of(new V1Container().name("web").image("busybox")
            .ports(List.of(new V1ContainerPort().containerPort(80))))));
    V1Pod created = core.createNamespacedPod("default", pod).execute();
    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getMetadata().getCreationTimestamp()).isNotNull();
    assertThat(created.getSpec().getRestartPolicy()).isEqualTo("Always");
    assertThat(created.getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("Always");

    V1PodList list = core.listNamespacedPod("default").labelSelector("app=jc").execute();
    assertThat(list.getItems()).extracting(p -> p.getMetadata().getName()).containsExactly("java-client");

    V1Pod patched = PatchUtils.patch(V1Pod.class, () -> core.patchNamespacedPod("java-client", "default",
            new V1Patch("{\"metadata\":{\"labels\":{\"tier\":\"front\"}},\"spec\":{\"containers\":[{\"name\":\"web\","
                + "\"image\":\"busybox:2\"}]}}")).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
    assertThat(patched.getMetadata().getLabels()).containsEntry("tier", "front").containsEntry("app", "jc");
    assertThat(patched.getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:2");
    assertThat(patched.getSpec().getContainers().get(0).getPorts()).hasSize(1);

    assertThatThrownBy(() -> core.createNamespacedPod("default", pod).execute())
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getResponseBody()).contains("AlreadyExists", "pods \\\"java-client\\\" already exists");
        });
    assertThatThrownBy(() -> core.readNamespacedPod("missing", "default").execute())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(404));

    AppsV1Api apps = new AppsV1Api(client);
    V1Deployment deployment = apps.createNamespacedDeployment("default", new V1Deployment()
        .metadata(new V1ObjectMeta().name("jc-web"))
        .spec(new V1DeploymentSpec().replicas(2).selector(new V1LabelSelector().matchLabels(Map.of("app", "jc-web")))
            .template(new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(Map.of("app", "jc-web")))
                .spec(new V1PodSpec().containers(List.of(new V1Container().name("web").image("busybox")))))))
        .execute();
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(apps.readNamespacedDeploymentScale("jc-web", "default").execute().getSpec().getReplicas())
        .isEqualTo(2);

    core.deleteNamespacedPod("java-client", "default").gracePeriodSeconds(0).execute();
    apps.deleteNamespacedDeployment("jc-web", "default").execute();
  }

  @Test
  void watchAndInformer() throws Exception {
    String resourceVersion = core.listNamespacedConfigMap("default").execute().getMetadata().getResourceVersion();
    core.createNamespacedConfigMap("default", new V1ConfigMap().metadata(new V1ObjectMeta().name("watched"))
        .data(Map.of("k", "v"))).execute();
    try (Watch<V1ConfigMap> watch = Watch.createWatch(client, core.listNamespacedConfigMap("default")
            .resourceVersion(resourceVersion).watch(true).timeoutSeconds(10).buildCall(null),
        new TypeToken<Watch.Response<V1ConfigMap>>() {}.getType())) {
      Watch.Response<V1ConfigMap> event = watch.next();
      assertThat(event.type).isEqualTo("ADDED");
      assertThat(event.object.getMetadata().getName()).isEqualTo("watched");
      assertThat(event.object.getData()).containsEntry("k", "v");
    }

    SharedInformerFactory factory = new SharedInformerFactory(client);
    SharedIndexInformer<V1ConfigMap> informer = factory.sharedIndexInformerFor(
        params -> core.listConfigMapForAllNamespaces().resourceVersion(params.resourceVersion)
            .timeoutSeconds(params.timeoutSeconds).watch(params.watch).buildCall(null),
        V1ConfigMap.class, V1ConfigMapList.class);
    Set<String> added = ConcurrentHashMap.newKeySet();
    Set<String> deleted = ConcurrentHashMap.newKeySet();
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(V1ConfigMap object) {
        added.add(object.getMetadata().getName());
      }

      @Override
      public void onUpdate(V1ConfigMap oldObject, V1ConfigMap newObject) {
      }

      @Override
      public void onDelete(V1ConfigMap object, boolean finalStateUnknown) {
        deleted.add(object.getMetadata().getName());
      }
    });
    factory.startAllRegisteredInformers();
    try {
      HostTools.waitUntil("informer synced", Duration.ofSeconds(30), informer::hasSynced);
      assertThat(added).contains("watched");
      core.createNamespacedConfigMap("default", new V1ConfigMap().metadata(new V1ObjectMeta().name("late")))
          .execute();
      core.deleteNamespacedConfigMap("watched", "default").execute();
      HostTools.waitUntil("informer saw the later create and the delete", Duration.ofSeconds(30),
          () -> added.contains("late") && deleted.contains("watched"));
      assertThat(informer.getIndexer().getByKey("default/late")).isNotNull();
    } finally {
      factory.stopAllRegisteredInformers();
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }
}
