package io.minicluster.controller.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.minicluster.json.Json;
import org.junit.jupiter.api.Test;

class RolloutMathTest {
  @Test
  void percentagesRoundSurgeUpAndUnavailableDown() {
    assertThat(RolloutMath.scaled(new TextNode("25%"), 3, true)).isEqualTo(1);
    assertThat(RolloutMath.scaled(new TextNode("25%"), 3, false)).isEqualTo(0);
    assertThat(RolloutMath.scaled(new TextNode("25%"), 10, true)).isEqualTo(3);
    assertThat(RolloutMath.scaled(new TextNode("25%"), 10, false)).isEqualTo(2);
    assertThat(RolloutMath.scaled(new TextNode("100%"), 7, false)).isEqualTo(7);
    assertThat(RolloutMath.scaled(new IntNode(2), 10, false)).isEqualTo(2);
    assertThat(RolloutMath.scaled(new TextNode("3"), 10, false)).isEqualTo(3);
  }

  @Test
  void fencepostsNeverLetBothBeZero() {
    assertThat(RolloutMath.fenceposts(new IntNode(0), new TextNode("10%"), 3)).containsExactly(0, 1);
    assertThat(RolloutMath.fenceposts(new TextNode("25%"), new TextNode("25%"), 3)).containsExactly(1, 0);
  }

  @Test
  void maxUnavailableIsCappedByReplicasAndZeroForRecreate() {
    assertThat(RolloutMath.maxUnavailable(Json.parseObject(
        "{\"spec\":{\"replicas\":2,\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":0,"
            + "\"maxUnavailable\":5}}}}"))).isEqualTo(2);
    assertThat(RolloutMath.maxUnavailable(Json.parseObject(
        "{\"spec\":{\"replicas\":2,\"strategy\":{\"type\":\"Recreate\"}}}"))).isEqualTo(0);
    assertThat(RolloutMath.maxSurge(Json.parseObject(
        "{\"spec\":{\"replicas\":4,\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":\"50%\","
            + "\"maxUnavailable\":0}}}}"))).isEqualTo(2);
  }

  @Test
  void templateHashIsStableSafeEncodedAndChangesWithCollisions() {
    var template = Json.parseObject("{\"metadata\":{\"labels\":{\"app\":\"web\",\"tier\":\"x\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
    var reordered = Json.parseObject("{\"spec\":{\"containers\":[{\"image\":\"nginx\",\"name\":\"c\"}]},"
        + "\"metadata\":{\"labels\":{\"tier\":\"x\",\"app\":\"web\"}}}");
    String hash = PodTemplateHash.compute(template, null);
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
    assertThat(PodTemplateHash.compute(reordered, null)).isEqualTo(hash);
    assertThat(PodTemplateHash.compute(template, 1)).isNotEqualTo(hash);
    template.with("spec").withArray("containers").get(0);
    ((ObjectNode) template.at("/spec/containers/0")).put("image", "nginx:2");
    assertThat(PodTemplateHash.compute(template, null)).isNotEqualTo(hash);
  }
}
