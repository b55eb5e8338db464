package io.minicluster.apiserver.printers;

import static io.minicluster.apiserver.printers.TestObjects.NOW;
import static io.minicluster.apiserver.printers.TestObjects.ago;
import static io.minicluster.apiserver.printers.TestObjects.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** kubectl get hpa as printers.go prints it. */
class AutoscalingPrintersTest {
  private static final String CPU = "{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization',"
      + "'averageUtilization':50}}}";
  private static final String MEMORY = "{'type':'Resource','resource':{'name':'memory','target':"
      + "{'type':'AverageValue','averageValue':'100Mi'}}}";

  private static Object[] cells(String spec, String status) {
    return TablePrinters.forKind("autoscaling/v2", "HorizontalPodAutoscaler").cells(json("{'metadata':{'name':'web',"
        + "'creationTimestamp':'" + ago(90) + "'},'spec':" + spec + ",'status':" + status + "}"), NOW).toArray();
  }

  @Test
  void columnsAreThoseOfKubectlGetHpaForEveryVersion() {
    for (String version : new String[] {"autoscaling/v2", "autoscaling/v1"}) {
      assertThat(TablePrinters.forKind(version, "HorizontalPodAutoscaler").columns().stream()
          .map(Column::name)).containsExactly("Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas",
              "Age");
    }
  }

  @Test
  void targetsAreUnknownBeforeTheFirstMeasurement() {
    assertThat(cells("{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'},'minReplicas':1,"
        + "'maxReplicas':5,'metrics':[" + CPU + "]}", "{'desiredReplicas':0}"))
        .containsExactly("web", "Deployment/web", "cpu: <unknown>/50%", "1", 5L, 0L, "90s");
  }

  @Test
  void targetsShowTheCurrentUtilizationAndValue() {
    assertThat(cells("{'scaleTargetRef':{'kind':'Deployment','name':'web'},'maxReplicas':5,'metrics':[" + CPU + ","
        + MEMORY + "]}", "{'currentReplicas':3,'desiredReplicas':3,'currentMetrics':[{'type':'Resource',"
        + "'resource':{'name':'cpu','current':{'averageUtilization':12,'averageValue':'12m'}}},{'type':'Resource',"
        + "'resource':{'name':'memory','current':{'averageValue':'52428800'}}}]}"))
        .containsExactly("web", "Deployment/web", "cpu: 12%/50%, memory: 52428800/100Mi", "<unset>", 5L, 3L, "90s");
  }

  @Test
  void atMostTwoTargetsAreShown() {
    assertThat(cells("{'scaleTargetRef':{'kind':'Deployment','name':'web'},'maxReplicas':5,'metrics':[" + CPU + ","
        + MEMORY + "," + CPU + "]}", "{}")[2])
        .isEqualTo("cpu: <unknown>/50%, memory: <unknown>/100Mi + 1 more...");
    assertThat(cells("{'scaleTargetRef':{'kind':'Deployment','name':'web'},'maxReplicas':5}", "{}")[2])
        .isEqualTo("<none>");
  }
}
