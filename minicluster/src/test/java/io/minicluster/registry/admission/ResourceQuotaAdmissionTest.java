package io.minicluster.registry.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.Meta;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.AdmissionRequest;
import io.minicluster.registry.Requester;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ResourceQuotaAdmissionTest {
  private final FakeQuotas quotas = new FakeQuotas();
  private final ResourceQuotaAdmission plugin = new ResourceQuotaAdmission(quotas,
      Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC));

  /** Quotas kept with a resourceVersion each write bumps; a write with an older one conflicts. */
  private static final class FakeQuotas implements ResourceQuotaAdmission.Quotas {
    final Map<String, ObjectNode> byName = new TreeMap<>();
    long revision = 1;
    /** Runs before the next status write (a concurrent writer), once. */
    Runnable beforeWrite;
    int writes;

    void put(ObjectNode quota) {
      Meta.metadata(quota).put("resourceVersion", Long.toString(++revision));
      byName.put(Meta.name(quota), quota);
    }

    @Override
    public synchronized List<ObjectNode> list(String namespace) {
      return byName.values().stream().filter(q -> namespace.equals(Meta.namespace(q))).map(ObjectNode::deepCopy)
          .toList();
    }

    @Override
    public synchronized boolean updateStatus(ObjectNode quota) {
      if (beforeWrite != null) {
        Runnable concurrent = beforeWrite;
        beforeWrite = null;
        concurrent.run();
      }
      writes++;
      ObjectNode stored = byName.get(Meta.name(quota));
      if (stored == null || !Meta.resourceVersion(stored).equals(Meta.resourceVersion(quota))) {
        return false;
      }
      ObjectNode copy = stored.deepCopy();
      copy.set("status", quota.get("status").deepCopy());
      put(copy);
      return true;
    }

    String used(String name) {
      return Json.string(byName.get(name).get("status").get("used"));
    }
  }

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private static ObjectNode quota(String name, String hard, String used) {
    return json("{'metadata':{'name':'" + name + "','namespace':'ns'},'spec':{'hard':" + hard + "},"
        + "'status':{'hard':" + hard + (used == null ? "" : ",'used':" + used) + "}}");
  }

  private static ObjectNode pod(String name, String resources) {
    return json("{'metadata':{'name':'" + name + "','namespace':'ns'},'spec':{'containers':[{'name':'app',"
        + "'image':'i','resources':" + resources + "}]}}");
  }

  private static AdmissionRequest create(ResourceType type, ObjectNode object, boolean dryRun) {
    return new AdmissionRequest(AdmissionRequest.Operation.CREATE, type, "", Meta.namespace(object),
        Meta.name(object), object, null, dryRun, Requester.IN_PROCESS);
  }

  /** Creates as the registry does: admission, then a stored object has a resourceVersion, then writeFinished. */
  private void create(ObjectNode object, boolean stored) {
    try {
      plugin.validate(create(ResourceTypes.PODS, object, false));
      if (stored) {
        Meta.metadata(object).put("resourceVersion", "100");
      }
    } finally {
      plugin.writeFinished(ResourceTypes.PODS, object);
    }
  }

  @Test
  void aCreateTakesUsageUntilTheQuotaIsFullThenIsForbidden() {
    quotas.put(quota("q", "{'pods':'2'}", "{'pods':'0'}"));

    create(pod("a", "{}"), true);
    create(pod("b", "{}"), true);
    assertThat(quotas.used("q")).isEqualTo("{\"pods\":\"2\"}");

    assertThatThrownBy(() -> create(pod("c", "{}"), true)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(403);
      assertThat(e.getMessage()).isEqualTo(
          "pods \"c\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2");
    });
    assertThat(quotas.used("q")).isEqualTo("{\"pods\":\"2\"}");
  }

  @Test
  void computeResourcesAreSummedAndMustBeStated() {
    quotas.put(quota("compute", "{'requests.cpu':'1','limits.cpu':'2','pods':'10'}",
        "{'requests.cpu':'0','limits.cpu':'0','pods':'0'}"));

    assertThatThrownBy(() -> create(pod("x", "{'requests':{'cpu':'100m'}}"), true))
        .hasMessage("pods \"x\" is forbidden: failed quota: compute: must specify limits.cpu for: app");

    create(pod("a", "{'requests':{'cpu':'600m'},'limits':{'cpu':'1'}}"), true);
    assertThatThrownBy(() -> create(pod("b", "{'requests':{'cpu':'500m'},'limits':{'cpu':'1'}}"), true))
        .hasMessage("pods \"b\" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, "
            + "used: requests.cpu=600m, limited: requests.cpu=1");
    assertThat(quotas.used("compute"))
        .isEqualTo("{\"limits.cpu\":\"1\",\"pods\":\"1\",\"requests.cpu\":\"600m\"}");
  }

  @Test
  void aQuotaWithoutUsageYetRefusesAndOtherScopesDoNotCount() {
    quotas.put(quota("fresh", "{'pods':'5'}", null));
    assertThatThrownBy(() -> create(pod("x", "{}"), true))
        .hasMessage("pods \"x\" is forbidden: status unknown for quota: fresh, resources: pods");

    quotas.byName.clear();
    ObjectNode scoped = quota("best-effort", "{'pods':'0'}", "{'pods':'0'}");
    scoped.with("spec").putArray("scopes").add("BestEffort");
    quotas.put(scoped);
    create(pod("burstable", "{'requests':{'memory':'1Mi'}}"), true);
    assertThatThrownBy(() -> create(pod("x", "{}"), true)).hasMessageContaining("exceeded quota: best-effort");
  }

  @Test
  void aConcurrentWriteToTheQuotaMakesTheCheckRunAgain() {
    quotas.put(quota("q", "{'pods':'2'}", "{'pods':'1'}"));
    // another write takes the last pod between this check and its status write
    quotas.beforeWrite = () -> {
      ObjectNode other = quotas.byName.get("q").deepCopy();
      other.with("status").set("used", json("{'pods':'2'}"));
      quotas.put(other);
    };

    assertThatThrownBy(() -> create(pod("late", "{}"), true))
        .hasMessage("pods \"late\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2");
    assertThat(quotas.used("q")).isEqualTo("{\"pods\":\"2\"}");
  }

  @Test
  void concurrentCreatesNeverTakeMoreThanTheQuota() throws InterruptedException {
    quotas.put(quota("q", "{'pods':'3'}", "{'pods':'0'}"));
    List<Thread> threads = new ArrayList<>();
    List<String> admitted = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 8; i++) {
      String name = "p" + i;
      Thread thread = new Thread(() -> {
        try {
          create(pod(name, "{}"), true);
          admitted.add(name);
        } catch (ApiException e) {
          // refused
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(admitted).hasSize(3);
    assertThat(quotas.used("q")).isEqualTo("{\"pods\":\"3\"}");
  }

  @Test
  void usageOfAWriteThatIsNotStoredIsGivenBackAndDryRunsTakeNone() {
    quotas.put(quota("q", "{'pods':'2','count/configmaps':'5'}", "{'pods':'0','count/configmaps':'0'}"));

    create(pod("invalid", "{}"), false);
    assertThat(quotas.used("q")).isEqualTo("{\"count/configmaps\":\"0\",\"pods\":\"0\"}");

    plugin.validate(create(ResourceTypes.PODS, pod("dry", "{}"), true));
    assertThat(quotas.used("q")).isEqualTo("{\"count/configmaps\":\"0\",\"pods\":\"0\"}");

    ObjectNode map = json("{'metadata':{'name':'m','namespace':'ns'}}");
    plugin.validate(create(ResourceTypes.CONFIG_MAPS, map, false));
    assertThat(quotas.used("q")).isEqualTo("{\"count/configmaps\":\"1\",\"pods\":\"0\"}");
  }

  /** A quota whose one load balancer is used, and the update of a ClusterIP service to LoadBalancer. */
  private AdmissionRequest serviceToLoadBalancer(String subresource) {
    quotas.put(quota("q", "{'services.loadbalancers':'1','services':'5'}",
        "{'services.loadbalancers':'1','services':'1'}"));
    ObjectNode old = json("{'metadata':{'name':'s','namespace':'ns','resourceVersion':'5'},'spec':"
        + "{'type':'ClusterIP','ports':[{'port':80}]}}");
    ObjectNode updated = old.deepCopy();
    updated.with("spec").put("type", "LoadBalancer");
    return new AdmissionRequest(AdmissionRequest.Operation.UPDATE, ResourceTypes.SERVICES, subresource, "ns", "s",
        updated, old, false, Requester.IN_PROCESS);
  }

  @Test
  void aServiceUpdateIsChargedTheDifference() {
    AdmissionRequest update = serviceToLoadBalancer("");

    assertThatThrownBy(() -> plugin.validate(update))
        .hasMessage("services \"s\" is forbidden: exceeded quota: q, requested: services.loadbalancers=1, "
            + "used: services.loadbalancers=1, limited: services.loadbalancers=1");
  }

  @Test
  void subresourceWritesAreNotCounted() {
    plugin.validate(serviceToLoadBalancer("status"));

    assertThat(quotas.used("q")).isEqualTo("{\"services.loadbalancers\":\"1\",\"services\":\"1\"}");
  }
}
