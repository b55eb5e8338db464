package io.minicluster.registry.horizontalpodautoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class AutoscalingV1ConversionTest {
  private final AutoscalingV1Conversion conversion = new AutoscalingV1Conversion();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  @Test
  void theCpuTargetIsTheV2CpuUtilizationMetric() {
    ObjectNode v1 = json("{'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},"
        + "'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'},'minReplicas':1,"
        + "'maxReplicas':5,'targetCPUUtilizationPercentage':50}}");

    ObjectNode v2 = conversion.toStorage(v1);

    assertThat(v2).isEqualTo(json("{'kind':'HorizontalPodAutoscaler','apiVersion':'autoscaling/v2',"
        + "'metadata':{'name':'web'},'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment',"
        + "'name':'web'},'minReplicas':1,'maxReplicas':5,'metrics':[{'type':'Resource','resource':{'name':'cpu',"
        + "'target':{'type':'Utilization','averageUtilization':50}}}]}}"));
    assertThat(conversion.fromStorage(v2)).isEqualTo(v1);
  }

  @Test
  void theStatusCarriesTheCurrentCpuUtilization() {
    ObjectNode v2 = json("{'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{'name':'web'},"
        + "'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'maxReplicas':5,'metrics':["
        + "{'type':'Resource','resource':{'name':'memory','target':{'type':'AverageValue','averageValue':'1Mi'}}},"
        + "{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':70}}}]},"
        + "'status':{'currentReplicas':2,'desiredReplicas':3,'lastScaleTime':'2026-01-01T00:00:00Z',"
        + "'currentMetrics':[{'type':'Resource','resource':{'name':'cpu','current':{'averageUtilization':91,"
        + "'averageValue':'91m'}}}],'conditions':[{'type':'AbleToScale','status':'True'}]}}");

    ObjectNode v1 = conversion.fromStorage(v2);

    assertThat(v1.get("apiVersion").asText()).isEqualTo("autoscaling/v1");
    assertThat(v1.at("/spec/targetCPUUtilizationPercentage").asInt()).isEqualTo(70);
    assertThat(v1.at("/spec/metrics").isMissingNode()).isTrue();
    assertThat(v1.get("status")).isEqualTo(json("{'lastScaleTime':'2026-01-01T00:00:00Z','currentReplicas':2,"
        + "'desiredReplicas':3,'currentCPUUtilizationPercentage':91}"));
    assertThat(v2.at("/spec/metrics").size()).as("the argument is left unchanged").isEqualTo(2);
  }
}
