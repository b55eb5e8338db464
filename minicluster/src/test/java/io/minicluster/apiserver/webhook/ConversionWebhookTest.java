package io.minicluster.apiserver.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.apiextensions.CustomResourceDefinition;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ConversionWebhookTest {
  private final List<ObjectNode> reviews = new ArrayList<>();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private static CustomResourceDefinition definition(String reviewVersions) {
    return CustomResourceDefinition.of(json("{'metadata':{'name':'crontabs.stable.example.com','uid':'d-1'},"
        + "'spec':{'group':'stable.example.com','scope':'Namespaced','names':{'plural':'crontabs','kind':'CronTab'},"
        + "'versions':[{'name':'v1','served':true,'storage':true},{'name':'v2','served':true,'storage':false}],"
        + "'conversion':{'strategy':'Webhook','webhook':{'conversionReviewVersions':" + reviewVersions + ","
        + "'clientConfig':{'url':'https://127.0.0.1:9443/convert'}}}}}"));
  }

  private static ObjectNode cronTab(String name, String uid) {
    return json("{'apiVersion':'stable.example.com/v1','kind':'CronTab','metadata':{'name':'" + name + "',"
        + "'namespace':'default','uid':'" + uid + "','resourceVersion':'7','labels':{'app':'a'}},"
        + "'spec':{'cronSpec':'* * * * *'}}");
  }

  /** A webhook that answers each review with the response the function makes of its request. */
  private ConversionWebhook webhook(UnaryOperator<ObjectNode> respond) {
    return new ConversionWebhook((clientConfig, body, timeout) -> {
      ObjectNode review = Json.parseObject(new String(body, StandardCharsets.UTF_8));
      reviews.add(review);
      ObjectNode answer = json("{'apiVersion':'" + Json.text(review, "apiVersion") + "','kind':'ConversionReview'}");
      answer.set("response", respond.apply((ObjectNode) review.get("request")));
      return Json.bytes(answer);
    });
  }

  /** Renames spec.cronSpec to spec.schedule, sets the wanted apiVersion, changes the name unless told not to. */
  private static ObjectNode converting(ObjectNode request, boolean keepName, String label) {
    ObjectNode response = json("{'result':{'status':'Success'}}");
    response.put("uid", Json.text(request, "uid"));
    var converted = response.putArray("convertedObjects");
    for (var object : request.get("objects")) {
      ObjectNode copy = (ObjectNode) object.deepCopy();
      copy.put("apiVersion", Json.text(request, "desiredAPIVersion"));
      ObjectNode spec = (ObjectNode) copy.get("spec");
      spec.set("schedule", spec.remove("cronSpec"));
      ObjectNode metadata = (ObjectNode) copy.get("metadata");
      metadata.put("resourceVersion", "999");
      ((ObjectNode) metadata.get("labels")).put("converted", label);
      if (!keepName) {
        metadata.put("name", "renamed");
      }
      converted.add(copy);
    }
    return response;
  }

  @Test
  void objectsAreSentInOneReviewAndComeBackWithTheirMetadataButTheLabelsAndAnnotations() {
    List<ObjectNode> converted = webhook(request -> converting(request, true, "yes")).convert(
        definition("['v2','v1']"), List.of(cronTab("a", "u-a"), cronTab("b", "u-b")), "stable.example.com/v2");

    assertThat(reviews).singleElement().satisfies(review -> {
      assertThat(Json.text(review, "apiVersion")).isEqualTo("apiextensions.k8s.io/v1");
      assertThat(Json.text(review, "kind")).isEqualTo("ConversionReview");
      assertThat(review.at("/request/desiredAPIVersion").asText()).isEqualTo("stable.example.com/v2");
      assertThat(review.at("/request/uid").asText()).isNotEmpty();
      assertThat(review.at("/request/objects").size()).isEqualTo(2);
    });
    assertThat(converted).hasSize(2);
    assertThat(Json.string(converted.get(0))).isEqualTo("{\"apiVersion\":\"stable.example.com/v2\",\"kind\":"
        + "\"CronTab\",\"metadata\":{\"name\":\"a\",\"namespace\":\"default\",\"uid\":\"u-a\",\"resourceVersion\":"
        + "\"7\",\"labels\":{\"app\":\"a\",\"converted\":\"yes\"}},\"spec\":{\"schedule\":\"* * * * *\"}}");
    assertThat(converted.get(1).at("/metadata/name").asText()).isEqualTo("b");
  }

  @Test
  void theFirstReviewVersionTheServerSpeaksIsSent() {
    webhook(request -> converting(request, true, "yes")).convert(definition("['v9','v1beta1','v1']"),
        List.of(cronTab("a", "u-a")), "stable.example.com/v2");
    assertThat(Json.text(reviews.get(0), "apiVersion")).isEqualTo("apiextensions.k8s.io/v1beta1");
  }

  @Test
  void whatUpstreamRefusesIsItsInternalError() {
    CustomResourceDefinition definition = definition("['v1']");
    List<ObjectNode> one = List.of(cronTab("a", "u-a"));
    String prefix = "Internal error occurred: conversion webhook for stable.example.com/v1, Kind=CronTab ";

    assertFailure(webhook(request -> converting(request, false, "x")), definition, one,
        prefix + "returned invalid object: must have the same name: a != renamed");
    assertFailure(webhook(request -> json("{'uid':'other','result':{'status':'Success'},'convertedObjects':[]}")),
        definition, one, prefix + "failed: expected response.uid=\"");
    assertFailure(webhook(request -> {
      ObjectNode response = json("{'result':{'status':'Failure','message':'cannot convert a'}}");
      return response.put("uid", Json.text(request, "uid"));
    }), definition, one, prefix + "failed: cannot convert a");
    assertFailure(webhook(request -> {
      ObjectNode response = json("{'result':{'status':'Success'},'convertedObjects':[]}");
      return response.put("uid", Json.text(request, "uid"));
    }), definition, one, prefix + "returned 0 objects, expected 1");
    assertFailure(webhook(request -> {
      ObjectNode response = converting(request, true, "x");
      ((ObjectNode) response.at("/convertedObjects/0")).put("apiVersion", "stable.example.com/v3");
      return response;
    }), definition, one, prefix + "returned invalid object: invalid groupVersion (expected stable.example.com/v2, "
        + "received stable.example.com/v3)");
    assertFailure(webhook(request -> converting(request, true, "not a label value!")), definition, one,
        prefix + "returned invalid metadata: metadata.labels: Invalid value: \"not a label value!\"");
    assertFailure(new ConversionWebhook((clientConfig, body, timeout) -> {
      throw new WebhookClient.CallFailure("dial tcp 127.0.0.1:9443: connect: connection refused");
    }), definition, one, prefix + "failed: Post \"https://127.0.0.1:9443/convert?timeout=30s\": dial tcp "
        + "127.0.0.1:9443: connect: connection refused");
  }

  private static void assertFailure(ConversionWebhook webhook, CustomResourceDefinition definition,
      List<ObjectNode> objects, String messageStart) {
    assertThatThrownBy(() -> webhook.convert(definition, objects, "stable.example.com/v2"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(500);
          assertThat(e.getMessage()).startsWith(messageStart);
        });
  }
}
