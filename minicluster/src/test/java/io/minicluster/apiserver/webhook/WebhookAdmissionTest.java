package io.minicluster.apiserver.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.api.ResourceType;
import io.minicluster.api.ResourceTypes;
import io.minicluster.json.Json;
import io.minicluster.registry.AdmissionRequest.Operation;
import io.minicluster.registry.AdmissionRequest;
import io.minicluster.registry.Requester;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookAdmissionTest {
  private final List<ObjectNode> reviews = Collections.synchronizedList(new ArrayList<>());
  private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
  private final ExecutorService calls = Executors.newCachedThreadPool();

  @AfterEach
  void stopCalls() {
    calls.shutdownNow();
  }
  private final Requester alice = new Requester("alice", "u-1", List.of("dev", "system:authenticated"),
      Map.of("scopes", List.of("a")), warnings::add);

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  /** A fake webhook: records each review and answers with the response the function gives for it. */
  private WebhookClient fake(Function<ObjectNode, String> answer) {
    return (clientConfig, body, timeout) -> {
      ObjectNode review = Json.parseObject(new String(body, StandardCharsets.UTF_8));
      reviews.add(review);
      String response = answer.apply(review);
      if (response == null) {
        throw new WebhookClient.CallFailure("context deadline exceeded");
      }
      ObjectNode answered = json("{'apiVersion':'" + Json.text(review, "apiVersion") + "','kind':'AdmissionReview',"
          + "'response':" + response + "}");
      ((ObjectNode) answered.get("response")).put("uid", review.at("/request/uid").asText());
      return Json.bytes(answered);
    };
  }

  private static ObjectNode configuration(String name, String hooks) {
    return json("{'metadata':{'name':'" + name + "'},'webhooks':[" + hooks + "]}");
  }

  private static String hook(String name, String extra) {
    return "{'name':'" + name + "','admissionReviewVersions':['v1'],'sideEffects':'None','failurePolicy':'Fail',"
        + "'timeoutSeconds':10,'clientConfig':{'url':'https://127.0.0.1:8443/" + name + "'},"
        + "'namespaceSelector':{},'objectSelector':{},'rules':[{'operations':['CREATE','UPDATE'],'apiGroups':[''],"
        + "'apiVersions':['v1'],'resources':['pods'],'scope':'*'}]" + extra + "}";
  }

  private WebhookAdmission admission(List<ObjectNode> mutating, List<ObjectNode> validating,
      Function<ObjectNode, String> answer) {
    Function<String, Optional<JsonNode>> namespaces = name -> Optional.of(
        json("{'metadata':{'name':'" + name + "','labels':{'env':'" + name + "'}}}"));
    return new WebhookAdmission(() -> mutating, () -> validating, namespaces, fake(answer), calls);
  }

  private AdmissionRequest createPod(ObjectNode pod) {
    return new AdmissionRequest(Operation.CREATE, ResourceTypes.PODS, "", "default", "web", pod, null, false, alice);
  }

  private static ObjectNode pod() {
    return json("{'kind':'Pod','apiVersion':'v1','metadata':{'name':'web','namespace':'default','labels':{'app':'web'}},"
        + "'spec':{'containers':[{'name':'c','image':'busybox'}]}}");
  }

  @Test
  void theReviewCarriesTheRequestAndTheUser() {
    admission(List.of(), List.of(configuration("v", hook("check.example.com", ""))), review -> "{'allowed':true}")
        .validate(createPod(pod()));

    assertThat(reviews).hasSize(1);
    JsonNode request = reviews.get(0).get("request");
    assertThat(reviews.get(0).get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(Json.string(request.get("kind"))).isEqualTo("{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"}");
    assertThat(Json.string(request.get("resource")))
        .isEqualTo("{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"}");
    assertThat(request.get("requestKind")).isEqualTo(request.get("kind"));
    assertThat(request.get("operation").asText()).isEqualTo("CREATE");
    assertThat(request.get("name").asText()).isEqualTo("web");
    assertThat(request.get("namespace").asText()).isEqualTo("default");
    assertThat(request.has("subResource")).isFalse();
    assertThat(Json.string(request.get("userInfo"))).isEqualTo("{\"username\":\"alice\",\"uid\":\"u-1\","
        + "\"groups\":[\"dev\",\"system:authenticated\"],\"extra\":{\"scopes\":[\"a\"]}}");
    assertThat(request.at("/object/metadata/labels/app").asText()).isEqualTo("web");
    assertThat(request.get("oldObject").isNull()).isTrue();
    assertThat(request.get("dryRun").asBoolean()).isFalse();
    assertThat(Json.string(request.get("options")))
        .isEqualTo("{\"kind\":\"CreateOptions\",\"apiVersion\":\"meta.k8s.io/v1\"}");
  }

  @Test
  void aConnectionIsReviewedWithItsOptionsByTheWebhooksOfCONNECTRulesAndRefusedAsThePodsForbidden() {
    String execRules = hook("no-exec.example.com", "").replace("'operations':['CREATE','UPDATE']",
        "'operations':['CONNECT']").replace("'resources':['pods']", "'resources':['pods/exec']");
    WebhookAdmission admission = admission(List.of(), List.of(configuration("v", execRules),
        configuration("w", hook("writes.example.com", ""))), review -> "{'allowed':false,'status':{'message':"
            + "'exec is not allowed here'}}");
    AdmissionRequest exec = new AdmissionRequest(Operation.CONNECT, ResourceTypes.PODS, "exec", "default", "web",
        json("{'kind':'PodExecOptions','apiVersion':'v1','stdin':true,'container':'c','command':['sh']}"), null,
        false, alice);

    assertThatThrownBy(() -> admission.connect(exec)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo(403);
      assertThat(e.getMessage()).isEqualTo("pods \"web\" is forbidden: admission webhook \"no-exec.example.com\" "
          + "denied the request: exec is not allowed here");
    });
    // only the CONNECT rule's webhook, with the options as the object and no operation options
    assertThat(reviews).singleElement().satisfies(review -> {
      JsonNode request = review.get("request");
      assertThat(Json.string(request.get("kind")))
          .isEqualTo("{\"group\":\"\",\"version\":\"v1\",\"kind\":\"PodExecOptions\"}");
      assertThat(request.get("subResource").asText()).isEqualTo("exec");
      assertThat(request.get("operation").asText()).isEqualTo("CONNECT");
      assertThat(request.at("/object/command/0").asText()).isEqualTo("sh");
      assertThat(request.has("options")).isFalse();
    });
  }

  @Test
  void v1beta1WhenListedFirst() {
    admission(List.of(), List.of(configuration("v", hook("check.example.com", "")
        .replace("['v1']", "['v1beta1','v1']"))), review -> "{'allowed':true}").validate(createPod(pod()));

    assertThat(reviews.get(0).get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1beta1");
  }

  @Test
  void rulesSelectorsAndScopeDecideWhichWebhooksAreCalled() {
    WebhookAdmission admission = admission(List.of(), List.of(configuration("v",
        hook("all.example.com", "").replace("'resources':['pods']", "'resources':['*']") + ","
            + hook("status.example.com", "").replace("'resources':['pods']", "'resources':['pods/status']") + ","
            + hook("prod.example.com", "").replace("'namespaceSelector':{}",
                "'namespaceSelector':{'matchLabels':{'env':'prod'}}") + ","
            + hook("db.example.com", "").replace("'objectSelector':{}", "'objectSelector':{'matchLabels':{'app':'db'}}")
            + ","
            + hook("cluster.example.com", "").replace("'scope':'*'", "'scope':'Cluster'") + ","
            + hook("apps.example.com", "").replace("'apiGroups':['']", "'apiGroups':['apps']"))),
        review -> "{'allowed':true}");

    admission.validate(createPod(pod()));
    ObjectNode old = pod();
    admission.validate(new AdmissionRequest(Operation.UPDATE, ResourceTypes.PODS, "status", "prod", "web", pod(),
        old, false, alice));
    admission.validate(new AdmissionRequest(Operation.UPDATE, ResourceTypes.PODS, "", "prod", "web", pod(),
        old, false, alice));
    admission.validate(new AdmissionRequest(Operation.DELETE, ResourceTypes.PODS, "", "default", "web", null, old,
        false, alice));

    // all: pods of any namespace, not their subresources; status: only pods/status; prod: pods of namespaces
    // labelled env=prod; db: pods labelled app=db; cluster: only cluster-scoped resources; apps: another group
    assertThat(reviews).extracting(review -> review.at("/request/operation").asText() + " "
        + review.at("/request/subResource").asText() + " " + review.at("/request/namespace").asText())
        .containsExactly("CREATE  default", "UPDATE status prod", "UPDATE  prod", "UPDATE  prod");
    assertThat(reviews.get(1).at("/request/oldObject/metadata/name").asText()).isEqualTo("web");
  }

  @Test
  void rulesMatchCustomResourcesByGroupVersionAndPlural() {
    ResourceType widgets = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true, List.of(),
        List.of(), List.of());
    WebhookAdmission admission = admission(List.of(), List.of(configuration("v",
        hook("widgets.example.com", "").replace("'apiGroups':['']", "'apiGroups':['example.com']")
            .replace("'resources':['pods']", "'resources':['widgets']") + ","
            + hook("gadgets.example.com", "").replace("'apiGroups':['']", "'apiGroups':['example.com']")
            .replace("'resources':['pods']", "'resources':['gadgets']"))),
        review -> "{'allowed':true}");

    admission.validate(new AdmissionRequest(Operation.CREATE, widgets, "", "default", "w",
        json("{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w','namespace':'default'}}"), null,
        false, alice));

    assertThat(reviews).extracting(review -> review.at("/request/resource/group").asText() + "/"
        + review.at("/request/resource/version").asText() + "/" + review.at("/request/resource/resource").asText()
        + " " + review.at("/request/kind/kind").asText())
        .containsExactly("example.com/v1/widgets Widget");
  }

  @Test
  void configurationsOfWebhooksAreNotSentToWebhooks() {
    admission(List.of(), List.of(configuration("v", hook("all.example.com", "")
            .replace("'apiGroups':['']", "'apiGroups':['*']").replace("'resources':['pods']", "'resources':['*']"))),
        review -> "{'allowed':false}").validate(new AdmissionRequest(Operation.CREATE,
        ResourceTypes.VALIDATING_WEBHOOK_CONFIGURATIONS, "", "", "v", json("{}"), null, false, alice));

    assertThat(reviews).isEmpty();
  }

  @Test
  void mutatingWebhooksPatchInNameOrderThenReinvokeWhenAsked() {
    String addLabel = Base64.getEncoder().encodeToString(
        "[{\"op\":\"add\",\"path\":\"/metadata/labels/mutated\",\"value\":\"yes\"}]".getBytes(StandardCharsets.UTF_8));
    WebhookAdmission admission = admission(List.of(
            configuration("b", hook("second.example.com", "")),
            configuration("a", hook("first.example.com", ",'reinvocationPolicy':'IfNeeded'"))),
        List.of(), review -> review.at("/request/object/metadata/labels/mutated").isMissingNode()
            && review.at("/request/object/metadata/name").asText().equals("web")
            && reviews.size() == 2
            ? "{'allowed':true,'patchType':'JSONPatch','patch':'" + addLabel + "','warnings':['labelled']}"
            : "{'allowed':true}");
    ObjectNode pod = pod();

    admission.mutate(createPod(pod));

    assertThat(pod.at("/metadata/labels/mutated").asText()).isEqualTo("yes");
    assertThat(reviews).extracting(review -> review.get("request").get("object").at("/metadata/labels/mutated")
        .asText("-")).containsExactly("-", "-", "yes");
    assertThat(warnings).containsExactly("labelled");
  }

  @Test
  void aDenialIsTheApiserversForbiddenError() {
    WebhookAdmission admission = admission(List.of(), List.of(configuration("v", hook("deny.example.com", ""))),
        review -> "{'allowed':false,'status':{'message':'no pods today'}}");

    assertThatThrownBy(() -> admission.validate(createPod(pod()))).isInstanceOfSatisfying(ApiException.class,
        e -> {
          assertThat(e.code()).isEqualTo(403);
          assertThat(e.reason()).isEqualTo("Forbidden");
          assertThat(e.getMessage()).isEqualTo(
              "pods \"web\" is forbidden: admission webhook \"deny.example.com\" denied the request: no pods today");
        });
    WebhookAdmission withCode = admission(List.of(), List.of(configuration("v", hook("deny.example.com", ""))),
        review -> "{'allowed':false,'status':{'code':422,'reason':'Invalid'}}");
    assertThatThrownBy(() -> withCode.validate(createPod(pod()))).isInstanceOfSatisfying(ApiException.class,
        e -> {
          assertThat(e.code()).isEqualTo(422);
          assertThat(e.getMessage()).isEqualTo(
              "pods \"web\" is forbidden: admission webhook \"deny.example.com\" denied the request: Invalid");
        });
  }

  @Test
  void validatingWebhooksAreCalledAtOnce() {
    // each webhook answers only once all three have been called: called one after another, the first times out
    CountDownLatch called = new CountDownLatch(3);
    WebhookAdmission admission = admission(List.of(), List.of(configuration("a", hook("one.example.com", "")),
        configuration("b", hook("two.example.com", "") + "," + hook("three.example.com", ""))), review -> {
          called.countDown();
          try {
            return called.await(10, TimeUnit.SECONDS) ? "{'allowed':true}" : null;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
          }
        });

    admission.validate(createPod(pod()));

    assertThat(reviews).hasSize(3);
  }

  @Test
  void everyAnswersWarningsAreKeptAndTheFirstRefusalInTheConfigurationsOrderIsTheError() {
    // "late" refuses at once, "early" (called before it) refuses only after "late" has answered
    CountDownLatch lateAnswered = new CountDownLatch(1);
    WebhookClient byUrl = (clientConfig, body, timeout) -> {
      String url = Json.text(clientConfig, "url");
      ObjectNode review = Json.parseObject(new String(body, StandardCharsets.UTF_8));
      boolean allowed = url.endsWith("/allows.example.com");
      if (url.endsWith("/early.example.com")) {
        try {
          lateAnswered.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ObjectNode answer = json("{'apiVersion':'admission.k8s.io/v1','kind':'AdmissionReview','response':{"
          + "'allowed':" + allowed + ",'warnings':['from " + url.substring(url.lastIndexOf('/') + 1) + "'],"
          + "'status':{'message':'no'}}}");
      ((ObjectNode) answer.get("response")).put("uid", review.at("/request/uid").asText());
      if (url.endsWith("/late.example.com")) {
        lateAnswered.countDown();
      }
      return Json.bytes(answer);
    };
    WebhookAdmission admission = new WebhookAdmission(List::of, () -> List.of(
        configuration("a", hook("allows.example.com", "") + "," + hook("early.example.com", "")),
        configuration("b", hook("late.example.com", ""))), name -> Optional.empty(), byUrl, calls);

    assertThatThrownBy(() -> admission.validate(createPod(pod()))).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.getMessage()).isEqualTo(
            "pods \"web\" is forbidden: admission webhook \"early.example.com\" denied the request: no"));
    assertThat(warnings).containsExactly("from allows.example.com", "from early.example.com",
        "from late.example.com");
  }

  @Test
  void aFailedCallFollowsTheFailurePolicy() {
    WebhookAdmission failing = admission(List.of(), List.of(configuration("v", hook("slow.example.com", ""))),
        review -> null);
    assertThatThrownBy(() -> failing.validate(createPod(pod()))).isInstanceOfSatisfying(ApiException.class,
        e -> {
          assertThat(e.code()).isEqualTo(500);
          assertThat(e.getMessage()).isEqualTo("Internal error occurred: failed calling webhook \"slow.example.com\": "
              + "failed to call webhook: Post \"https://127.0.0.1:8443/slow.example.com?timeout=10s\": "
              + "context deadline exceeded");
        });

    admission(List.of(), List.of(configuration("v", hook("slow.example.com", "")
        .replace("'failurePolicy':'Fail'", "'failurePolicy':'Ignore'"))), review -> null).validate(createPod(pod()));
    assertThat(reviews).hasSize(2);
  }

  @Test
  void theServiceFormOfTheUrl() {
    assertThat(WebhookAdmission.displayUrl(json("{'service':{'namespace':'hooks','name':'svc','port':443,"
        + "'path':'/validate'}}"), Duration.ofSeconds(5))).isEqualTo("https://svc.hooks.svc:443/validate?timeout=5s");
  }
}
