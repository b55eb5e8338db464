package io.minicluster.registry.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.WriteOptions;
import io.minicluster.registry.limitrange.LimitRangeStrategy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitRangerTest {
  private final List<ObjectNode> ranges = new ArrayList<>();
  private final LimitRanger plugin = new LimitRanger(namespace -> namespace.equals("default") ? ranges : List.of());

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  /** A LimitRange as stored: defaulted by its strategy. */
  private void range(String limits) {
    ObjectNode range = json("{'metadata':{'name':'limits','namespace':'default'},'spec':{'limits':" + limits + "}}");
    new LimitRangeStrategy().applyDefaults(range);
    ranges.add(range);
  }

  private static ObjectNode pod(String resources) {
    return json("{'metadata':{'name':'x','namespace':'default'},'spec':{'containers':[{'name':'app','image':'i',"
        + "'resources':" + resources + "}]}}");
  }

  @Test
  void containersGetTheDefaultLimitsAndRequestsTheyLack() {
    range("[{'type':'Container','default':{'cpu':'500m','memory':'128Mi'},'defaultRequest':{'cpu':'100m'}}]");
    ObjectNode pod = pod("{'requests':{'memory':'64Mi'}}");

    plugin.admitCreate(ResourceTypes.PODS, pod, WriteOptions.DEFAULT);

    assertThat(Json.at(pod, "spec", "containers").get(0).get("resources"))
        .isEqualTo(json("{'requests':{'memory':'64Mi','cpu':'100m'},'limits':{'cpu':'500m','memory':'128Mi'}}"));
    assertThat(Json.textOrNull(pod, "metadata", "annotations", "kubernetes.io/limit-ranger"))
        .isEqualTo("LimitRanger plugin set: cpu request for container app; cpu, memory limit for container app");
  }

  @Test
  void aContainerOverTheMaxIsForbiddenWithTheApiserversMessage() {
    range("[{'type':'Container','max':{'cpu':'1'}}]");
    ObjectNode pod = pod("{'limits':{'cpu':'2'}}");

    assertThatThrownBy(() -> plugin.admitCreate(ResourceTypes.PODS, pod, WriteOptions.DEFAULT))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(403);
          assertThat(e.getMessage())
              .isEqualTo("pods \"x\" is forbidden: maximum cpu usage per Container is 1, but limit is 2");
        });
    // the max also became the default limit: a pod stating none gets it and passes
    ObjectNode defaulted = pod("{}");
    plugin.admitCreate(ResourceTypes.PODS, defaulted, WriteOptions.DEFAULT);
    assertThat(Json.textOrNull(defaulted.get("spec").get("containers").get(0), "resources", "limits", "cpu"))
        .isEqualTo("1");
  }

  @Test
  void minimumsRatiosAndPodTotalsAreCheckedTogether() {
    range("[{'type':'Container','min':{'memory':'64Mi'},'maxLimitRequestRatio':{'cpu':'2'}},"
        + "{'type':'Pod','max':{'memory':'1Gi'}}]");
    ObjectNode pod = pod("{'requests':{'cpu':'100m','memory':'32Mi'},'limits':{'cpu':'300m','memory':'2Gi'}}");

    assertThatThrownBy(() -> plugin.admitCreate(ResourceTypes.PODS, pod, WriteOptions.DEFAULT))
        .hasMessage("pods \"x\" is forbidden: [minimum memory usage per Container is 64Mi, but request is 32Mi, "
            + "cpu max limit to request ratio per Container is 2, but provided ratio is 3.000000, "
            + "maximum memory usage per Pod is 1Gi, but limit is 2Gi]");
  }

  @Test
  void claimsAreCheckedOnCreateAndUpdate() {
    range("[{'type':'PersistentVolumeClaim','min':{'storage':'1Gi'},'max':{'storage':'10Gi'}}]");
    ObjectNode small = json("{'metadata':{'name':'data','namespace':'default'},'spec':{'resources':{'requests':"
        + "{'storage':'500Mi'}}}}");
    ObjectNode big = json("{'metadata':{'name':'data','namespace':'default'},'spec':{'resources':{'requests':"
        + "{'storage':'20Gi'}}}}");

    assertThatThrownBy(() -> plugin.admitCreate(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, small, WriteOptions.DEFAULT))
        .hasMessage("persistentvolumeclaims \"data\" is forbidden: minimum storage usage per PersistentVolumeClaim "
            + "is 1Gi, but request is 500Mi");
    assertThatThrownBy(() -> plugin.admitUpdate(ResourceTypes.PERSISTENT_VOLUME_CLAIMS, big, small,
        WriteOptions.DEFAULT))
        .hasMessage("persistentvolumeclaims \"data\" is forbidden: maximum storage usage per PersistentVolumeClaim "
            + "is 10Gi, but request is 20Gi");
  }

  @Test
  void otherNamespacesAndPodUpdatesAreLeftAlone() {
    range("[{'type':'Container','max':{'cpu':'1'}}]");
    ObjectNode elsewhere = pod("{'limits':{'cpu':'2'}}");
    elsewhere.with("metadata").put("namespace", "other");

    plugin.admitCreate(ResourceTypes.PODS, elsewhere, WriteOptions.DEFAULT);
    plugin.admitUpdate(ResourceTypes.PODS, pod("{'limits':{'cpu':'2'}}"), pod("{}"), WriteOptions.DEFAULT);
  }
}
