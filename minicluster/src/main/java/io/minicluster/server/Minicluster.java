package io.minicluster.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.AgentConfig;
import io.minicluster.agent.AgentExecutors;
import io.minicluster.agent.NodeAgent;
import io.minicluster.agent.oom.OomWatcher;
import io.minicluster.agent.probe.NetworkProber;
import io.minicluster.agent.runtime.DockerRuntime;
import io.minicluster.agent.runtime.DockerRuntimeConfig;
import io.minicluster.agent.runtime.Ipv4Cidr;
import io.minicluster.agent.simulated.SimulatedNodeAgent;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Endpoints;
import io.minicluster.api.core.Namespace;
import io.minicluster.api.core.Node;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Service;
import io.minicluster.apiextensions.CustomResources;
import io.minicluster.apiserver.ApiRouter;
import io.minicluster.apiserver.BodyDecoder;
import io.minicluster.apiserver.Discovery;
import io.minicluster.apiserver.HttpApiServer;
import io.minicluster.apiserver.authz.Authorization;
import io.minicluster.apiserver.authz.RbacAuthorizer;
import io.minicluster.apiserver.authz.RequestAuthorization;
import io.minicluster.apiserver.MetricsEndpoints;
import io.minicluster.apiserver.Plugins;
import io.minicluster.apiserver.PodStreams;
import io.minicluster.apiserver.ResourceEndpoints;
import io.minicluster.apiserver.auth.Authenticator;
import io.minicluster.apiserver.auth.ServiceAccountTokenAuthenticator;
import io.minicluster.apiserver.auth.StaticTokenAuthenticator;
import io.minicluster.apiserver.auth.UserInfo;
import io.minicluster.apiserver.fieldmanager.ClientFieldTrackers;
import io.minicluster.apiserver.printers.TablePrinters;
import io.minicluster.apiserver.printers.Tables;
import io.minicluster.apiserver.streams.AgentPodLogs;
import io.minicluster.apiserver.streams.PodLookup;
import io.minicluster.apiserver.streams.PodStreamUpgrader;
import io.minicluster.client.Client;
import io.minicluster.client.Controller;
import io.minicluster.client.EventRecorder;
import io.minicluster.client.Informer;
import io.minicluster.client.Kinds;
import io.minicluster.client.LocalClient;
import io.minicluster.client.SharedInformers;
import io.minicluster.client.WorkQueue;
import io.minicluster.dns.ClusterDns;
import io.minicluster.dns.DnsServerConfig;
import io.minicluster.dns.InformerDirectory;
import io.minicluster.dns.IpAddresses;
import io.minicluster.dns.KubeDnsService;
import io.minicluster.dns.ResolvConf;
import io.minicluster.controller.daemonset.DaemonSetController;
import io.minicluster.controller.disruption.DisruptionController;
import io.minicluster.controller.resourcequota.ResourceQuotaController;
import io.minicluster.controller.deployment.DeploymentController;
import io.minicluster.controller.endpoints.EndpointsController;
import io.minicluster.controller.apiservice.ApiServiceController;
import io.minicluster.controller.certificates.CertificateSigningController;
import io.minicluster.controller.clusterroleaggregation.ClusterRoleAggregationController;
import io.minicluster.controller.cronjob.CronJobController;
import io.minicluster.controller.podautoscaler.HorizontalPodAutoscalerController;
import io.minicluster.controller.endpointslice.EndpointSliceController;
import io.minicluster.controller.job.JobController;
import io.minicluster.controller.nodelifecycle.NodeLifecycleConfig;
import io.minicluster.controller.nodelifecycle.NodeLifecycleController;
import io.minicluster.controller.garbagecollector.GarbageCollector;
import io.minicluster.controller.namespace.NamespaceController;
import io.minicluster.controller.replication.ReplicaSetController;
import io.minicluster.controller.apiextensions.CustomResourceDefinitionController;
import io.minicluster.controller.rootcacert.RootCaCertPublisher;
import io.minicluster.controller.serviceaccount.ServiceAccountController;
import io.minicluster.controller.serviceaccount.TokensController;
import io.minicluster.controller.statefulset.StatefulSetController;
import io.minicluster.controller.volume.PersistentVolumeController;
import io.minicluster.gateway.ClusterDestinationPolicy;
import io.minicluster.gateway.ClusterFrontPage;
import io.minicluster.gateway.ClusterNameResolver;
import io.minicluster.gateway.NodePortRange;
import io.minicluster.gateway.PodAddresses;
import io.minicluster.gateway.ServiceBackends;
import io.minicluster.health.Liveness;
import io.minicluster.metrics.HostStats;
import io.minicluster.metrics.MetricsSampler;
import io.minicluster.metrics.MetricsSnapshot;
import io.minicluster.metrics.Sample;
import io.minicluster.metrics.StatsSource;
import io.minicluster.node.HostNodeFacts;
import io.minicluster.node.NodeStatusManager;
import io.minicluster.node.SimulatedNodeFacts;
import io.minicluster.pki.CertificateRenewer;
import io.minicluster.pki.Pki;
import io.minicluster.pki.ServiceAccountKey;
import io.minicluster.api.meta.ListOptions;
import io.minicluster.proxy.BridgeHairpin;
import io.minicluster.proxy.Chains;
import io.minicluster.proxy.CommandRunner;
import io.minicluster.proxy.Conntrack;
import io.minicluster.proxy.IptablesApplier;
import io.minicluster.proxy.IptablesBackend;
import io.minicluster.proxy.LoadBalancerStatusWriter;
import io.minicluster.proxy.ProxyConfig;
import io.minicluster.proxy.ServiceProxy;
import io.minicluster.proxy.SyncRunner;
import io.minicluster.registry.Registries;
import io.minicluster.apiserver.webhook.ConversionWebhook;
import io.minicluster.apiserver.webhook.HttpsWebhookClient;
import io.minicluster.apiserver.webhook.WebhookAdmission;
import io.minicluster.registry.admission.Admissions;
import io.minicluster.registry.admission.DefaultIngressClass;
import io.minicluster.registry.admission.DefaultStorageClass;
import io.minicluster.registry.admission.PriorityAdmission;
import io.minicluster.registry.admission.RuntimeClassAdmission;
import io.minicluster.registry.admission.LimitRanger;
import io.minicluster.registry.admission.NamespaceLifecycle;
import io.minicluster.registry.admission.PersistentVolumeClaimResize;
import io.minicluster.registry.admission.PolicyNotEnforced;
import io.minicluster.registry.admission.ResourceQuotaAdmission;
import io.minicluster.registry.admission.ServiceAccountAdmission;
import io.minicluster.registry.admission.ServiceAllocator;
import io.minicluster.registry.subresource.Subresources;
import io.minicluster.scheduler.ApiBinder;
import io.minicluster.serviceaccount.ServiceAccountTokens;
import io.minicluster.serviceaccount.TokenClaims;
import io.minicluster.scheduler.Scheduler;
import io.minicluster.scheduler.SchedulingAlgorithm;
import io.minicluster.socks.Credentials;
import io.minicluster.socks.GatewayConfig;
import io.minicluster.socks.SocksGateway;
import io.minicluster.socks.policy.Cidr;
import io.minicluster.store.SqliteStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon: the one place where components are constructed and wired, started in dependency order (store, PKI,
 * registries, API server, then controllers, scheduler and node agent) and stopped in reverse.
 */
public final class Minicluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Minicluster.class);
  /** How long the gateway waits for its informers' first lists before it serves. */
  private static final Duration GATEWAY_SYNC_TIMEOUT = Duration.ofSeconds(30);
  /** How often the node's and pods' usage is sampled for metrics.k8s.io. */
  private static final Duration METRICS_INTERVAL = Duration.ofSeconds(10);
  /** The simulated node's pod workers (the scheduler has 16 binds in flight). */
  private static final int SIMULATED_NODE_WORKERS = 16;
  /**
   * An environment variable of the benchmark (minicluster/bench/metrics-cost.sh): "off" runs the daemon without
   * sampling, to measure what sampling costs.
   */
  static final String METRICS_SAMPLING_VARIABLE = "MINICLUSTER_METRICS_SAMPLING";

  private final ServerConfig config;
  private final Clock clock = Clock.systemUTC();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final AtomicBoolean ready = new AtomicBoolean();
  private final Liveness liveness = Liveness.fromEnvironment(System.getenv());
  private SqliteStore store;
  private volatile Pki pki;
  private volatile Discovery discovery;
  private volatile Authenticator authenticator;
  private ServiceAccountTokens serviceAccountTokens;
  private volatile String kubeconfigServer;
  private Registries registries;
  /** The custom resources served, kept from the established CustomResourceDefinitions. */
  private final CustomResources customResources = new CustomResources();
  private Subresources subresources;
  private HttpApiServer httpServer;
  private InetSocketAddress apiAddress;
  private ServiceAllocator serviceAllocator;
  private SocksGateway socks;
  private Client client;
  private SharedInformers informers;
  /** The webhook configurations the admission webhooks read; null until the informers exist. */
  private volatile WebhookConfigurations webhooks;
  private NodeAgent agent;
  /** The runner of the node agent's pod workers, started after the agent. */
  private Controller podWorkers;
  private DockerRuntime docker;
  /** The metrics.k8s.io samples, none without a node agent or with sampling off. */
  private Supplier<MetricsSnapshot> metricsSnapshots = () -> MetricsSnapshot.EMPTY;
  private volatile boolean closing;

  public Minicluster(ServerConfig config) {
    this.config = requireNonNull(config, "config is null");
  }

  public void start() throws IOException, InterruptedException {
    Path dataDir = config.dataDir();
    Files.createDirectories(dataDir);
    try {
      Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    store = SqliteStore.open(dataDir, SqliteStore.Options.defaults());
    closeables.add(store);
    store.heartbeats().forEach(liveness::register);

    serviceAllocator = new ServiceAllocator(config.serviceCidr(), () -> allServices());
    List<String> names = new ArrayList<>(List.of(HostInfo.hostName(), config.nodeName(),
        "kubernetes.default.svc." + config.clusterDomain()));
    List<InetAddress> addresses = new ArrayList<>(HostInfo.addresses());
    addresses.add(InetAddress.getByName(serviceAllocator.kubernetesServiceIp()));
    if (!config.bindAddress().equals("0.0.0.0") && !config.bindAddress().equals("::")) {
      addresses.add(InetAddress.getByName(config.bindAddress()));
    }
    pki = Pki.loadOrCreate(dataDir, names, addresses);
    serviceAccountTokens = new ServiceAccountTokens(ServiceAccountKey.loadOrCreate(pki.directory()),
        "https://kubernetes.default.svc." + config.clusterDomain());
    CertificateRenewer renewer = new CertificateRenewer(dataDir, names, addresses, pki, clock,
        this::certificatesRenewed);

    HttpsWebhookClient webhookClient = new HttpsWebhookClient(WebhookConfigurations.services(() -> registries));
    // a request's validating webhooks but its first are called here, all at once
    ExecutorService webhookCalls = Executors.newCachedThreadPool(daemonThreads("admission-webhooks"));
    closeables.add(webhookCalls::shutdownNow);
    registries = new Registries(store, clock, Wiring.strategies(), new Admissions(List.of(
        new NamespaceLifecycle(name -> registries.get(ResourceTypes.NAMESPACES).find(null, name)),
        serviceAllocator,
        new DefaultStorageClass(() -> registries.get(ResourceTypes.STORAGE_CLASSES).list(null, ListOptions.ALL)
            .items()),
        new ServiceAccountAdmission((namespace, name) -> registries.get(ResourceTypes.SERVICE_ACCOUNTS)
            .find(namespace, name)),
        new DefaultIngressClass(() -> registries.get(ResourceTypes.INGRESS_CLASSES).list(null, ListOptions.ALL)
            .items()),
        new PriorityAdmission(name -> registries.get(ResourceTypes.PRIORITY_CLASSES).find(null, name),
            () -> registries.get(ResourceTypes.PRIORITY_CLASSES).list(null, ListOptions.ALL).items()),
        new RuntimeClassAdmission(name -> registries.get(ResourceTypes.RUNTIME_CLASSES).find(null, name)),
        new PersistentVolumeClaimResize(name -> registries.get(ResourceTypes.STORAGE_CLASSES).find(null, name)),
        new LimitRanger(namespace -> registries.get(ResourceTypes.LIMIT_RANGES).list(namespace, ListOptions.ALL)
            .items()),
        new WebhookAdmission(() -> webhooks == null ? List.of() : webhooks.mutating(),
            () -> webhooks == null ? List.of() : webhooks.validating(),
            name -> registries.get(ResourceTypes.NAMESPACES).find(null, name).map(JsonNode.class::cast),
            webhookClient, webhookCalls),
        new PolicyNotEnforced(),
        // validating, and last, as upstream orders it: charges only what every other plugin let through
        new ResourceQuotaAdmission(ResourceQuotaAdmission.Quotas.of(
            () -> registries.get(ResourceTypes.RESOURCE_QUOTAS)), clock))),
        Wiring.metadataValidator(), Wiring.typeCheck(), Conversions.ALL,
        Wiring.timesToLive(config.eventTtl()));

    registries.serveCustomResources(customResources, Wiring.customResourceStrategies(customResources),
        new ConversionWebhook(webhookClient));

    ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, daemonThreads("api-timer"));
    closeables.add(timer::shutdownNow);
    // requests block on the store's group commit: enough threads that concurrent writers share commits (a pool that
    // grew only when its queue was full would cap a commit at its core size); idle threads go away after a minute
    ThreadPoolExecutor requestExecutor = new ThreadPoolExecutor(64, 64, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(4096), daemonThreads("api-request"));
    requestExecutor.allowCoreThreadTimeOut(true);
    closeables.add(requestExecutor::shutdownNow);

    // the in-process client and the one informer per resource type shared by every consumer
    subresources = new Subresources(registries, clock, serviceAccountTokens);
    client = new LocalClient(registries, subresources, new ClientFieldTrackers(clock), "minicluster");
    informers = new SharedInformers(client);
    closeables.add(informers);
    liveness.register(informers.heartbeat());
    if (config.runNodeAgent() && !config.simulatedNode()) {
      agent = nodeAgent();
    }

    // the RBAC authorizer reads roles and bindings from the shared informers; reviews and requests ask it
    CustomResourceServing.follow(informers, customResources);
    RbacInformerPolicy rbacPolicy = new RbacInformerPolicy(informers);
    rbacPolicy.start();
    webhooks = new WebhookConfigurations(informers);
    webhooks.start();
    RbacAuthorizer rbac = new RbacAuthorizer(rbacPolicy);

    Plugins.ProtobufDecoder protobuf = Wiring.protobufDecoder();
    Plugins.TableConverter tables = (type, objects, list, now, includeObject, noHeaders) -> Tables.build(
        TablePrinters.forType(type, customResources), objects, now, includeObject, noHeaders,
        list == null ? null : Long.toString(list.resourceVersion()),
        list == null ? null : list.continueToken(), list == null ? null : list.remainingItemCount());
    ResourceEndpoints endpoints = new ResourceEndpoints(registries, subresources,
        new BodyDecoder(protobuf), Wiring.filterFactory(), tables,
        Wiring.patchApplier(), protobuf, timer, clock,
        agent == null ? PodStreams.NONE : new AgentPodLogs(agent.streams()), Authorization.of(rbac));
    discovery = new Discovery(() -> HostInfo.primaryAddress() + ":" + apiAddress.getPort(), customResources);
    ApiRouter router = new ApiRouter(endpoints, discovery, Wiring.openApi(customResources), this::metrics, ready::get,
        Version.KUBERNETES_VERSION, liveness, new MetricsEndpoints(agent == null
            || "off".equals(System.getenv(METRICS_SAMPLING_VARIABLE)) ? MetricsEndpoints.none() : sampledMetrics(),
            clock, tables), serviceAccountTokens);

    authenticator = authenticator(pki);
    PodStreamUpgrader upgrader = null;
    if (agent != null) {
      ExecutorService streamExecutor = Executors.newCachedThreadPool(daemonThreads("pod-streams"));
      closeables.add(streamExecutor::shutdownNow);
      upgrader = new PodStreamUpgrader(PodLookup.of(client), agent.streams(), streamExecutor,
          registries.admission()::connect);
    }
    httpServer = new HttpApiServer(router, pki.serverSslContext(),
        (headers, certificates) -> authenticator.authenticate(headers.get("Authorization"),
            certificates.stream().filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList()),
        new RequestAuthorization(rbac)::authorize, requestExecutor, upgrader);
    apiAddress = httpServer.start(config.bindAddress(), config.apiPort());
    closeables.add(httpServer);

    ApiserverWrites apiserverWrites = new ApiserverWrites(new ClientFieldTrackers(clock));
    new Bootstrap(registries, apiserverWrites, serviceAllocator.kubernetesServiceIp(), HostInfo.primaryAddress(),
        apiAddress.getPort()).run();
    new PolicyBootstrap(registries, apiserverWrites).run();
    new FlowControlBootstrap(registries, clock, apiserverWrites).run();

    if (agent != null) {
      startClusterDns();
    }
    startWorkloads();

    String host = config.bindAddress().equals("0.0.0.0") || config.bindAddress().equals("::")
        ? "127.0.0.1" : config.bindAddress();
    kubeconfigServer = "https://" + hostForUrl(host) + ":" + apiAddress.getPort();
    pki.writeAdminKubeconfig(dataDir.resolve("kubeconfig.yaml"), kubeconfigServer);
    renewer.start(CertificateRenewer.CHECK_PERIOD);
    closeables.add(renewer);
    startSocksGateway();
    ready.set(true);
    LOG.info("minicluster ready: kubeconfig {}", dataDir.resolve("kubeconfig.yaml"));
  }

  private Authenticator authenticator(Pki pki) {
    return new Authenticator(pki.caCertificate(), List.of(
        new StaticTokenAuthenticator(Map.of(pki.adminToken(),
            new UserInfo(Pki.ADMIN_USER, List.of(Pki.ADMIN_GROUP, "system:authenticated")))),
        new ServiceAccountTokenAuthenticator(serviceAccountTokens,
            (type, namespace, name) -> registries.get(type).find(namespace, name), clock)));
  }

  /** Serves renewed certificates to new connections and rewrites the admin kubeconfig. */
  private void certificatesRenewed(Pki renewed) throws IOException {
    authenticator = authenticator(renewed);
    httpServer.setSslContext(renewed.serverSslContext());
    pki = renewed;
    renewed.writeAdminKubeconfig(config.dataDir().resolve("kubeconfig.yaml"), kubeconfigServer);
  }

  /**
   * The node agent over the local Docker engine (not started: it starts once the engine answers), built before the
   * API server, which serves its pod streams.
   */
  private NodeAgent nodeAgent() {
    DockerRuntimeConfig runtimeConfig = DockerRuntimeConfig.defaults(System.getenv());
    // offline, the sandbox image is the one built on this machine: no pull is ever attempted
    runtimeConfig = runtimeConfig.withSandboxImage(config.offline() ? runtimeConfig.localSandboxImage()
        : config.sandboxImage()).withNetworkName(config.podNetwork());
    OomWatcher oomWatcher = OomWatcher.forHost(clock);
    oomWatcher.start();
    closeables.add(oomWatcher);
    docker = DockerRuntime.connect(runtimeConfig, oomWatcher);
    closeables.add(docker);
    Client kubelet = client.as("kubelet");
    EventRecorder kubeletEvents = new EventRecorder(kubelet, "kubelet", config.nodeName(), clock);
    closeables.add(kubeletEvents);
    liveness.register(kubeletEvents.heartbeat());
    ExecutorService probes = Executors.newFixedThreadPool(4, daemonThreads("agent-probe"));
    ExecutorService stops = Executors.newCachedThreadPool(daemonThreads("agent-stop"));
    ExecutorService terminations = Executors.newCachedThreadPool(daemonThreads("agent-terminate"));
    ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, daemonThreads("agent-timer"));
    for (ExecutorService executor : List.of(probes, stops, terminations, timers)) {
      closeables.add(executor::shutdownNow);
    }
    WorkQueue queue = new WorkQueue("pod-workers", Duration.ofMillis(500), Duration.ofSeconds(30));
    NodeAgent nodeAgent = new NodeAgent(kubelet, docker, AgentConfig.of(config.nodeName(),
        config.dataDir().resolve("agent"), config.podCidr(), HostInfo.primaryAddress())
        .withOffline(config.offline()).withClusterDns(List.of(podNameserver()), config.clusterDomain()), kubeletEvents,
        oomWatcher, clock, new NetworkProber(docker), informers, queue,
        new AgentExecutors(probes, stops, terminations, timers));
    closeables.add(nodeAgent);
    // the kubelet's pod workers: pods of the node synced four at a time, those being deleted aside
    podWorkers = new Controller("pod-workers", queue, nodeAgent, nodeAgent.informers(), 4, nodeAgent.offload());
    // no liveness check on the pod workers: a sync waits on what users control (an image pull of minutes, a
    // postStart hook), as a kubelet's pod worker does, and a stalled check ends the daemon; the kubelet's own
    // health does not count its pod workers either
    closeables.add(podWorkers);
    return nodeAgent;
  }

  /** The sampler's snapshots, also read by the horizontal pod autoscaler. */
  private Supplier<MetricsSnapshot> sampledMetrics() {
    metricsSnapshots = resourceMetrics();
    return metricsSnapshots;
  }

  /**
   * The metrics.k8s.io samples of the node and its pods, taken every {@link #METRICS_INTERVAL} (metrics-server's
   * default resolution is 15 s), at most four engine stats calls at a time.
   */
  private Supplier<MetricsSnapshot> resourceMetrics() {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("metrics-sampler"));
    ExecutorService reads = Executors.newFixedThreadPool(4, daemonThreads("metrics-stats"));
    closeables.add(timer::shutdownNow);
    closeables.add(reads::shutdownNow);
    Informer<Pod> pods = informers.informer(Kinds.PODS);
    Informer<Node> nodes = informers.informer(Kinds.NODES);
    pods.start();
    nodes.start();
    HostStats host = HostStats.ofHost(clock);
    StatsSource source = new StatsSource() {
      @Override
      public Optional<Sample> container(String containerId) {
        return docker.stats(containerId)
            .map(stats -> new Sample(stats.read(), stats.cpuUsageNanos(), stats.workingSetBytes()));
      }

      @Override
      public Optional<Sample> node() {
        return host.read();
      }
    };
    String nodeName = config.nodeName();
    MetricsSampler sampler = new MetricsSampler(nodeName, () -> nodes.get(null, nodeName),
        () -> pods.list(pod -> nodeName.equals(pod.spec().nodeName())), source, reads);
    timer.scheduleWithFixedDelay(sampler::sampleLogged, 0, METRICS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return sampler::snapshot;
  }

  /** Node status and the node agent's start, the controllers and the scheduler. */
  private void startWorkloads() {
    if (agent != null) {
      ScheduledExecutorService nodeStatusTimer = Executors.newSingleThreadScheduledExecutor(
          daemonThreads("node-status"));
      closeables.add(nodeStatusTimer::shutdownNow);
      NodeStatusManager nodeStatus = new NodeStatusManager(client.as("kubelet"),
          new HostNodeFacts(docker, config.dataDir()), config.nodeName(), HostInfo.primaryAddress(),
          config.podCidr(), apiAddress.getPort(), clock, nodeStatusTimer);
      nodeStatus.start();
      closeables.add(nodeStatus);
      Thread starter = new Thread(this::startAgent, "agent-start");
      starter.setDaemon(true);
      starter.start();
    } else if (config.simulatedNode()) {
      startSimulatedNode();
    }
    if (config.runControllers()) {
      startControllers();
      startScheduler();
    }
    if (config.serviceProxy()) {
      startServiceProxy();
    }
  }

  /**
   * The service proxy on the host's iptables (setting service-proxy, on by default), in chains of this data
   * directory's own, and the load-balancer status of its services. It is stopped with the daemon but its rules stay:
   * they keep serving until the next start replaces them.
   */
  private void startServiceProxy() {
    CommandRunner host = CommandRunner.host();
    Chains chains = Chains.forDataDir(config.dataDir());
    IptablesBackend backend;
    try {
      backend = IptablesBackend.detect(host, chains);
    } catch (IllegalStateException e) {
      LOG.warn("no service proxy: {}", e.getMessage());
      return;
    }
    ScheduledExecutorService proxyTimer = Executors.newSingleThreadScheduledExecutor(daemonThreads("service-proxy"));
    closeables.add(proxyTimer::shutdownNow);
    ServiceProxy proxy = new ServiceProxy(informers, ProxyConfig.of(config.nodeName(), config.podCidr(), chains)
        .withApiPort(apiAddress.getPort()).withServiceCidr(config.serviceCidr()),
        new IptablesApplier(host, backend, chains, new Conntrack(host)), BridgeHairpin.onHost(config.podCidr()),
        SyncRunner.Timer.of(proxyTimer));
    WorkQueue loadBalancerQueue = new WorkQueue("service-lb");
    LoadBalancerStatusWriter loadBalancers = new LoadBalancerStatusWriter(client.as(LoadBalancerStatusWriter.MANAGER),
        informers, config.nodeName(), loadBalancerQueue);
    Controller loadBalancerRunner = new Controller("service-lb", loadBalancerQueue, loadBalancers,
        loadBalancers.informers(), 1);
    liveness.register(loadBalancerRunner.heartbeat());
    proxy.start();
    loadBalancerRunner.start();
    closeables.add(proxy);
    closeables.add(loadBalancerRunner);
  }

  /**
   * The nameserver of pods (dnsPolicy ClusterFirst): the kube-dns cluster IP, as in Kubernetes, while the service
   * proxy routes it; else the pod network's gateway, where the cluster DNS answers directly.
   */
  private String podNameserver() {
    return config.serviceProxy() ? config.clusterDns() : Ipv4Cidr.parse(config.podCidr()).gateway();
  }

  /** The cluster DNS on the pod network's gateway, port 53, and the kube-system/kube-dns service pointing there. */
  private void startClusterDns() {
    InetAddress clusterDns = IpAddresses.parse(config.clusterDns());
    DnsServerConfig dnsConfig = DnsServerConfig.defaults(IpAddresses.parse(Ipv4Cidr.parse(config.podCidr()).gateway()),
        53, List.of(clusterDns), ClusterDns.upstreams(config.clusterDnsUpstreams(), ResolvConf.DEFAULT_PATH,
            ResolvConf.SYSTEMD_RESOLVED_PATH, clusterDns)).withClusterDomain(config.clusterDomain());
    ClusterDns dns = new ClusterDns(dnsConfig, new InformerDirectory(informers, clock),
        new KubeDnsService(client.as("minicluster-dns"), config.clusterDns(), config.nodeName()),
        Duration.ofSeconds(2));
    dns.start();
    closeables.add(dns);
  }

  /**
   * The simulated node (setting simulated-node): its Node and lease kept by the node status manager over facts of its
   * own, with a pods capacity of as many pods as the pod CIDR has addresses, and the agent that runs its pods without
   * containers on a runner of its own.
   */
  private void startSimulatedNode() {
    Client kubelet = client.as("kubelet");
    ScheduledExecutorService nodeStatusTimer = Executors.newSingleThreadScheduledExecutor(daemonThreads("node-status"));
    closeables.add(nodeStatusTimer::shutdownNow);
    NodeStatusManager nodeStatus = new NodeStatusManager(kubelet,
        new SimulatedNodeFacts(config.nodeName(), SimulatedNodeAgent.RUNTIME_VERSION), config.nodeName(),
        HostInfo.primaryAddress(), config.podCidr(), apiAddress.getPort(), SimulatedNodeAgent.capacity(config.podCidr()),
        clock, nodeStatusTimer);
    nodeStatus.start();
    closeables.add(nodeStatus);
    WorkQueue queue = new WorkQueue("simulated-node");
    SimulatedNodeAgent simulated = new SimulatedNodeAgent(kubelet, informers, queue, config.nodeName(),
        HostInfo.primaryAddress(), config.podCidr(), clock);
    // the kubelet syncs every pod on a worker of its own: enough workers that the pods' status writes and final deletes
    // share the store's commits (each worker waits for its write's commit)
    Controller runner = new Controller("simulated-node", queue, simulated, simulated.informers(),
        SIMULATED_NODE_WORKERS);
    liveness.register(runner.heartbeat());
    runner.start();
    closeables.add(runner);
    LOG.info("simulated node {} started: its pods run without containers", config.nodeName());
  }

  /** The default scheduler, on the shared pod and node informers. */
  private void startScheduler() {
    Client schedulerClient = client.as("kube-scheduler");
    EventRecorder schedulerEvents = new EventRecorder(schedulerClient, Scheduler.NAME, null, clock);
    closeables.add(schedulerEvents);
    liveness.register(schedulerEvents.heartbeat());
    ScheduledExecutorService schedulerTimer = Executors.newSingleThreadScheduledExecutor(
        daemonThreads("scheduler-resync"));
    closeables.add(schedulerTimer::shutdownNow);
    ExecutorService schedulerBinds = Executors.newFixedThreadPool(Scheduler.MAX_BINDS,
        daemonThreads("scheduler-bind"));
    closeables.add(schedulerBinds::shutdownNow);
    WorkQueue queue = new WorkQueue("scheduler", Scheduler.INITIAL_BACKOFF, Scheduler.MAX_BACKOFF,
        Scheduler.queueOrder(informers));
    Scheduler scheduler = new Scheduler(schedulerClient, clock, new ApiBinder(schedulerClient),
        SchedulingAlgorithm.defaults(), informers, queue, schedulerEvents, schedulerTimer, schedulerBinds,
        Scheduler.DEFAULT_FLUSH);
    Controller runner = new Controller("scheduler", queue, scheduler, scheduler.informers(), Scheduler.WORKERS);
    liveness.register(runner.heartbeat());
    scheduler.start();
    runner.start();
    closeables.add(scheduler);
    closeables.add(runner);
  }

  /**
   * The controller manager: one reconcile loop per controller, sharing informers; each gets its work queue here and
   * runs on a {@link Controller} runner built here.
   */
  private void startControllers() {
    Client controllers = client.as("kube-controller-manager");
    // events name the controller that wrote them, as kubectl describe shows them ("From" column)
    EventRecorder replicaSetEvents = recorder(controllers, "replicaset-controller");
    EventRecorder replicationEvents = recorder(controllers, "replication-controller");
    EventRecorder deploymentEvents = recorder(controllers, "deployment-controller");
    EventRecorder volumeEvents = recorder(controllers, "persistentvolume-controller");
    List<Controller> runners = List.of(
        controller("namespace", 2,
            queue -> new NamespaceController(controllers.as("namespace-controller"), informers, queue, clock)),
        controller("garbage-collector", 2,
            queue -> new GarbageCollector(controllers.as("generic-garbage-collector"), informers, queue)),
        controller("serviceaccount", 1,
            queue -> new ServiceAccountController(controllers.as("service-account-controller"), informers, queue)),
        controller("serviceaccount-token", 1, queue -> new TokensController(controllers.as("tokens-controller"),
            informers, queue, (namespace, account, uid, secret) -> serviceAccountTokens.sign(
                TokenClaims.legacy(namespace, new TokenClaims.Ref(account, uid), secret)), () -> pki.caCertificatePem())),
        controller("root-ca-cert-publisher", 1, queue -> new RootCaCertPublisher(
            controllers.as("root-ca-cert-publisher"), informers, queue, () -> pki.caCertificatePem())),
        controller("replicaset", 4, queue -> ReplicaSetController.forReplicaSets(
            controllers.as("replicaset-controller"), informers, queue, replicaSetEvents, clock)),
        controller("replicationcontroller", 2, queue -> ReplicaSetController.forReplicationControllers(
            controllers.as("replication-controller"), informers, queue, replicationEvents, clock)),
        controller("deployment", 4, queue -> new DeploymentController(controllers.as("deployment-controller"),
            informers, queue, deploymentEvents, clock)),
        controller("daemonset", 2, queue -> new DaemonSetController(controllers.as("daemon-set-controller"),
            informers, queue, recorder(controllers, "daemonset-controller"), clock)),
        controller("statefulset", 2, queue -> new StatefulSetController(controllers.as("statefulset-controller"),
            informers, queue, recorder(controllers, "statefulset-controller"), clock)),
        controller("endpoints", 2,
            queue -> new EndpointsController(controllers.as("endpoint-controller"), informers, queue)),
        controller("endpointslice", 2,
            queue -> new EndpointSliceController(controllers.as("endpointslice-controller"), informers, queue)),
        controller("job", 4, queue -> new JobController(controllers.as("job-controller"), informers, queue,
            recorder(controllers, "job-controller"), clock)),
        controller("cronjob", 2, queue -> new CronJobController(controllers.as("cronjob-controller"), informers,
            queue, recorder(controllers, "cronjob-controller"), clock)),
        controller("horizontal-pod-autoscaler", 1, queue -> new HorizontalPodAutoscalerController(
            controllers.as("horizontal-pod-autoscaler"), informers, queue,
            recorder(controllers, "horizontal-pod-autoscaler"), clock, new SampledPodMetrics(metricsSnapshots))),
        // the disruption controller's events come from "controllermanager", as upstream's recorder names it
        controller("disruption", 2, queue -> new DisruptionController(controllers.as("disruption-controller"),
            informers, queue, recorder(controllers, "controllermanager"), clock)),
        controller("resourcequota", 1, queue -> new ResourceQuotaController(
            controllers.as("resourcequota-controller"), informers, queue, clock)),
        controller("persistentvolume-binder", 1, queue -> new PersistentVolumeController(
            controllers.as("persistentvolume-controller"), informers, queue, volumeEvents,
            config.dataDir().resolve("storage"), config.nodeName())),
        controller("nodelifecycle", 1, queue -> new NodeLifecycleController(controllers.as("node-controller"),
            informers, queue, recorder(controllers, "node-controller"), clock,
            NodeLifecycleConfig.defaults().withMonitorGracePeriod(config.nodeMonitorGracePeriod()))),
        controller("clusterrole-aggregation", 1, queue -> new ClusterRoleAggregationController(
            controllers.as("clusterrole-aggregation-controller"), informers, queue)),
        controller("csrsigning", 1, queue -> new CertificateSigningController(
            controllers.as("certificatesigningrequest-signing-controller"), informers, queue,
            new ClusterCaSigner(() -> pki), CertificateSigningController.DEFAULT_TTL, clock)),
        controller("apiservice-registration", 1, queue -> new ApiServiceController(
            controllers.as("kube-apiserver-autoregistration"), informers, queue, discovery::groupVersions, clock)),
        controller("customresourcedefinition", 1, queue -> new CustomResourceDefinitionController(
            controllers.as("apiextensions-controller"), informers, queue, clock)));
    // all are constructed (handlers registered) before any starts
    runners.forEach(runner -> liveness.register(runner.heartbeat()));
    runners.forEach(Controller::start);
    closeables.addAll(runners);
  }

  /** A controller with its work queue and the runner of its workers (not started). */
  private static Controller controller(String name, int workers, Function<WorkQueue, Controller.Loop> build) {
    WorkQueue queue = new WorkQueue(name);
    Controller.Loop loop = build.apply(queue);
    return new Controller(name, queue, loop, loop.informers(), workers);
  }

  private EventRecorder recorder(Client controllers, String component) {
    EventRecorder recorder = new EventRecorder(controllers.as(component), component, null, clock);
    closeables.add(recorder);
    liveness.register(recorder.heartbeat());
    return recorder;
  }

  /** Starts the node agent once Docker answers; the node reports NotReady meanwhile. */
  private void startAgent() {
    for (int attempt = 0; !closing; attempt++) {
      try {
        if (docker.ping()) {
          agent.start();
          podWorkers.start();
          LOG.info("node agent started on Docker {}", docker.version());
          return;
        }
      } catch (RuntimeException e) {
        LOG.warn("node agent cannot start yet: {}", e.getMessage());
      }
      if (attempt == 0) {
        LOG.warn("the Docker engine does not answer at {}: start it with `systemctl start docker`; pods start once "
            + "it answers (the node is NotReady until then)", docker.config().dockerHost());
      }
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  public Client client() {
    return client;
  }

  private void startSocksGateway() throws IOException, InterruptedException {
    if (config.socksPort() < 0) {
      return;
    }
    Informer<Service> services = informers.informer(Kinds.SERVICES);
    Informer<Endpoints> endpoints = informers.informer(Kinds.ENDPOINTS);
    Informer<Pod> pods = informers.informer(Kinds.PODS);
    Informer<Namespace> namespaces = informers.informer(Kinds.NAMESPACES);
    // the kubernetes service leads to the API server where it listens (loopback when it listens on every address)
    InetSocketAddress apiServer = apiAddress.getAddress().isAnyLocalAddress()
        ? new InetSocketAddress(InetAddress.getLoopbackAddress(), apiAddress.getPort()) : apiAddress;
    ServiceBackends backends = new ServiceBackends(services, endpoints, apiServer);
    PodAddresses podAddresses = new PodAddresses(pods);
    for (Informer<?> informer : List.of(services, endpoints, pods, namespaces)) {
      informer.start();
      if (!informer.waitForSync(GATEWAY_SYNC_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        LOG.warn("the {} informer has not synced yet: the gateway starts without them", informer.type().plural());
      }
    }
    GatewayConfig.Builder builder = GatewayConfig.builder()
        .bindAddress(InetAddress.getByName(config.socksBindAddress()))
        .port(config.socksPort())
        .policy(new ClusterDestinationPolicy(config.podCidr(), config.serviceCidr(),
            new NodePortRange(ServiceAllocator.NODE_PORT_MIN, ServiceAllocator.NODE_PORT_MAX), HostInfo::addresses,
            config.socksExtraDestinations(), backends, podAddresses))
        .resolver(new ClusterNameResolver(config.clusterDomain(), services::get, endpoints::get, pods::get,
            name -> namespaces.get(null, name).isPresent()))
        .pacCidr(Cidr.parse(config.podCidr()))
        .pacCidr(Cidr.parse(config.serviceCidr()))
        .pacDomain("." + config.clusterDomain())
        .idleTimeout(config.socksIdleTimeout())
        .statusPageTitle("minicluster " + config.nodeName())
        .statusPageExtension(new ClusterFrontPage(config.clusterDomain(), services, endpoints, pods));
    if (config.socksCredentials() != null) {
      builder.credentials(Credentials.parse(config.socksCredentials()));
    }
    for (String client : config.socksAllowedClients()) {
      builder.allowClient(Cidr.parse(client));
    }
    socks = new SocksGateway(builder.build());
    socks.start();
    closeables.add(socks);
    LOG.info("SOCKS gateway on {} (PAC file: http://{}:{}/proxy.pac)", socks.localAddress(),
        config.socksBindAddress(), socks.localAddress().getPort());
  }

  public SocksGateway socks() {
    return socks;
  }

  private static String hostForUrl(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private List<ObjectNode> allServices() {
    return registries.get(ResourceTypes.SERVICES).list(null, ListOptions.ALL).items();
  }

  /** The liveness checks of the daemon's core loops ({@code /livez}). */
  public Liveness liveness() {
    return liveness;
  }

  public InetSocketAddress apiAddress() {
    return apiAddress;
  }

  public Registries registries() {
    return registries;
  }

  public Pki pki() {
    return pki;
  }

  private String metrics() {
    StringBuilder s = new StringBuilder();
    SqliteStore.Statistics statistics = store.statistics();
    s.append("# TYPE minicluster_store_revision gauge\nminicluster_store_revision ").append(statistics.revision())
        .append('\n');
    s.append("# TYPE minicluster_store_keys gauge\nminicluster_store_keys ").append(statistics.keys()).append('\n');
    s.append("# TYPE minicluster_store_commits_total counter\nminicluster_store_commits_total ")
        .append(statistics.commits()).append('\n');
    s.append("# TYPE minicluster_store_writes_total counter\nminicluster_store_writes_total ")
        .append(statistics.writes()).append('\n');
    s.append("# TYPE minicluster_build_info gauge\nminicluster_build_info{version=\"").append(Version.version())
        .append("\",kubernetes=\"").append(Version.KUBERNETES_VERSION).append("\"} 1\n");
    Runtime runtime = Runtime.getRuntime();
    s.append("# TYPE jvm_memory_used_bytes gauge\njvm_memory_used_bytes{area=\"heap\"} ")
        .append(runtime.totalMemory() - runtime.freeMemory()).append('\n');
    s.append("# TYPE jvm_memory_max_bytes gauge\njvm_memory_max_bytes{area=\"heap\"} ").append(runtime.maxMemory())
        .append('\n');
    long resident = residentBytes();
    if (resident > 0) {
      s.append("# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes ").append(resident)
          .append('\n');
    }
    if (socks != null) {
      InetSocketAddress address = socks.localAddress();
      s.append("# TYPE minicluster_socks_gateway_info gauge\nminicluster_socks_gateway_info{address=\"")
          .append(hostForUrl(address.getAddress().getHostAddress())).append(':').append(address.getPort())
          .append("\"} 1\n");
      s.append(socks.metrics().toPrometheusText());
    }
    return s.toString();
  }

  /** Resident set size (VmRSS of /proc/self/status), 0 where there is none. */
  private static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return 0;
  }

  static ThreadFactory daemonThreads(String name) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() {
    closing = true;
    ready.set(false);
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        LOG.warn("error while stopping", e);
      }
    }
    closeables.clear();
  }
}
