package io.minicluster.apiserver.patch;

import static io.minicluster.apiserver.patch.PatchTestSupport.body;
import static io.minicluster.apiserver.patch.PatchTestSupport.deployment;
import static io.minicluster.apiserver.patch.PatchTestSupport.object;
import static io.minicluster.apiserver.patch.PatchTestSupport.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ApiException;
import io.minicluster.json.Json;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StrategicMergePatchTest {

  private static final String AB = "{'containers':[{'name':'a','image':'a1'},{'name':'b','image':'b1'}]}";

  /** Pod spec before, patch body, pod spec after. */
  static Stream<Arguments> podSpecCases() {
    return Stream.of(
        Arguments.of("merge list element by name", AB,
            "{'spec':{'containers':[{'name':'b','image':'b2'}]}}",
            "{'containers':[{'name':'a','image':'a1'},{'name':'b','image':'b2'}]}"),
        Arguments.of("new element without $setElementOrder goes first", AB,
            "{'spec':{'containers':[{'name':'c','image':'c1'}]}}",
            "{'containers':[{'name':'c','image':'c1'},{'name':'a','image':'a1'},{'name':'b','image':'b1'}]}"),
        Arguments.of("kubectl set image", AB,
            "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'}],"
                + "'containers':[{'image':'x','name':'b'}]}}",
            "{'containers':[{'name':'a','image':'a1'},{'name':'b','image':'x'}]}"),
        Arguments.of("$setElementOrder places a new element", AB,
            "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'b'},{'name':'c'}],"
                + "'containers':[{'name':'c','image':'c1'}]}}",
            "{'containers':[{'name':'a','image':'a1'},{'name':'b','image':'b1'},{'name':'c','image':'c1'}]}"),
        Arguments.of("$setElementOrder alone reorders", AB,
            "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}]}}",
            "{'containers':[{'name':'b','image':'b1'},{'name':'a','image':'a1'}]}"),
        Arguments.of("server-only element keeps its live position",
            "{'containers':[{'name':'a'},{'name':'b'},{'name':'c','image':'c1'}]}",
            "{'spec':{'$setElementOrder/containers':[{'name':'a'},{'name':'c'}],"
                + "'containers':[{'name':'c','image':'c2'}]}}",
            "{'containers':[{'name':'a'},{'name':'b'},{'name':'c','image':'c2'}]}"),
        Arguments.of("$patch delete on a list element", AB,
            "{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}",
            "{'containers':[{'name':'b','image':'b1'}]}"),
        Arguments.of("$patch replace on a list", AB,
            "{'spec':{'containers':[{'name':'c','image':'c1'},{'$patch':'replace'}]}}",
            "{'containers':[{'name':'c','image':'c1'}]}"),
        Arguments.of("empty merge list is a no-op", AB,
            "{'spec':{'containers':[]}}", AB),
        Arguments.of("list without strategy is replaced",
            "{'tolerations':[{'key':'a','operator':'Exists'}],'containers':[]}",
            "{'spec':{'tolerations':[{'key':'b','operator':'Exists'}]}}",
            "{'tolerations':[{'key':'b','operator':'Exists'}],'containers':[]}"),
        Arguments.of("primitive list in a container is replaced",
            "{'containers':[{'name':'a','args':['x','y']}]}",
            "{'spec':{'containers':[{'name':'a','args':['z']}]}}",
            "{'containers':[{'name':'a','args':['z']}]}"),
        Arguments.of("env merges by name inside a container",
            "{'containers':[{'name':'a','env':[{'name':'X','value':'1'},{'name':'Y','value':'2'}]}]}",
            "{'spec':{'containers':[{'name':'a','env':[{'name':'Y','value':'3'}]}]}}",
            "{'containers':[{'name':'a','env':[{'name':'X','value':'1'},{'name':'Y','value':'3'}]}]}"),
        Arguments.of("ports merge by containerPort",
            "{'containers':[{'name':'a','ports':[{'containerPort':80,'protocol':'TCP'}]}]}",
            "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':443}]}]}}",
            "{'containers':[{'name':'a','ports':[{'containerPort':443},{'containerPort':80,'protocol':'TCP'}]}]}"),
        Arguments.of("volumeMounts merge by mountPath",
            "{'containers':[{'name':'a','volumeMounts':[{'name':'v','mountPath':'/data'}]}]}",
            "{'spec':{'containers':[{'name':'a','volumeMounts':[{'name':'w','mountPath':'/data'}]}]}}",
            "{'containers':[{'name':'a','volumeMounts':[{'name':'w','mountPath':'/data'}]}]}"),
        Arguments.of("initContainers merge by name",
            "{'initContainers':[{'name':'i','image':'i1'}],'containers':[]}",
            "{'spec':{'initContainers':[{'name':'i','image':'i2'}]}}",
            "{'initContainers':[{'name':'i','image':'i2'}],'containers':[]}"),
        Arguments.of("volumes with $retainKeys switch source",
            "{'volumes':[{'name':'v','emptyDir':{}},{'name':'w','emptyDir':{}}]}",
            "{'spec':{'volumes':[{'name':'v','$retainKeys':['configMap','name'],'configMap':{'name':'cm'}}]}}",
            "{'volumes':[{'name':'v','configMap':{'name':'cm'}},{'name':'w','emptyDir':{}}]}"),
        Arguments.of("hostAliases merge by ip",
            "{'hostAliases':[{'ip':'10.0.0.1','hostnames':['a']}]}",
            "{'spec':{'hostAliases':[{'ip':'10.0.0.1','hostnames':['b']}]}}",
            "{'hostAliases':[{'ip':'10.0.0.1','hostnames':['b']}]}"),
        Arguments.of("null deletes a map key",
            "{'nodeSelector':{'a':'1','b':'2'}}",
            "{'spec':{'nodeSelector':{'a':null}}}",
            "{'nodeSelector':{'b':'2'}}"),
        Arguments.of("$patch replace on a map",
            "{'nodeSelector':{'a':'1','b':'2'}}",
            "{'spec':{'nodeSelector':{'$patch':'replace','c':'3'}}}",
            "{'nodeSelector':{'c':'3'}}"),
        Arguments.of("$patch delete on a map leaves it empty",
            "{'nodeSelector':{'a':'1'}}",
            "{'spec':{'nodeSelector':{'$patch':'delete'}}}",
            "{'nodeSelector':{}}"),
        Arguments.of("directives inside values taken verbatim are dropped",
            "{'containers':[]}",
            "{'spec':{'nodeSelector':{'$patch':'replace','a':'1'},'containers':[{'name':'n',"
                + "'$setElementOrder/env':[{'name':'E'}],'env':[{'name':'E','value':'v'}]}]}}",
            "{'nodeSelector':{'a':'1'},'containers':[{'name':'n','env':[{'name':'E','value':'v'}]}]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podSpecCases")
  void podSpec(String name, String specBefore, String patch, String specAfter) {
    ObjectNode original = pod(specBefore);
    ObjectNode before = original.deepCopy();

    ObjectNode result = Patches.apply(PatchType.STRATEGIC_MERGE, original, body(patch), "v1", "Pod");

    assertThat(result).isEqualTo(pod(specAfter));
    assertThat(original).as("original untouched").isEqualTo(before);
  }

  /** Whole object before, patch body, whole object after. */
  static Stream<Arguments> objectCases() {
    return Stream.of(
        Arguments.of("finalizers are unioned (patch items first, then server-only by live order)",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['a','b']}}",
            "{'metadata':{'finalizers':['c','a']}}",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['c','a','b']}}"),
        Arguments.of("$deleteFromPrimitiveList",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['a','b','c']}}",
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b']}}",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['a','c']}}"),
        Arguments.of("$deleteFromPrimitiveList on a missing list adds it (Go quirk)",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'}}",
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b']}}",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['b']}}"),
        Arguments.of("$setElementOrder on a primitive list",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['a','b']}}",
            "{'metadata':{'$setElementOrder/finalizers':['b','a','c'],'finalizers':['c']}}",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['b','a','c']}}"),
        Arguments.of("ownerReferences merge by uid",
            "{'apiVersion':'v1','kind':'Secret','metadata':{'name':'s','ownerReferences':[{'uid':'u1','name':'a'}]}}",
            "{'metadata':{'ownerReferences':[{'uid':'u1','name':'b'},{'uid':'u2','name':'c'}]}}",
            "{'apiVersion':'v1','kind':'Secret','metadata':{'name':'s','ownerReferences':"
                + "[{'uid':'u1','name':'b'},{'uid':'u2','name':'c'}]}}"),
        Arguments.of("labels merge, null removes",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'a':'1','b':'2'}},'data':{'k':'v'}}",
            "{'metadata':{'labels':{'a':null,'c':'3'}},'data':{'k':'w'}}",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'b':'2','c':'3'}},'data':{'k':'w'}}"),
        Arguments.of("node conditions merge by type, addresses by type, podCIDRs union",
            "{'apiVersion':'v1','kind':'Node','metadata':{'name':'n'},'spec':{'podCIDRs':['10.1.0.0/16']},"
                + "'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'DiskPressure','status':'False'}],"
                + "'addresses':[{'type':'InternalIP','address':'1.1.1.1'}]}}",
            "{'spec':{'podCIDRs':['10.1.0.0/16']},'status':{'conditions':[{'type':'Ready','status':'True'}],"
                + "'addresses':[{'type':'Hostname','address':'n'}]}}",
            "{'apiVersion':'v1','kind':'Node','metadata':{'name':'n'},'spec':{'podCIDRs':['10.1.0.0/16']},"
                + "'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'DiskPressure','status':'False'}],"
                + "'addresses':[{'type':'Hostname','address':'n'},{'type':'InternalIP','address':'1.1.1.1'}]}}"),
        Arguments.of("node taints have no strategy: replaced",
            "{'apiVersion':'v1','kind':'Node','metadata':{'name':'n'},'spec':{'taints':[{'key':'a','effect':'NoSchedule'}]}}",
            "{'spec':{'taints':[{'key':'b','effect':'NoSchedule'}]}}",
            "{'apiVersion':'v1','kind':'Node','metadata':{'name':'n'},'spec':{'taints':[{'key':'b','effect':'NoSchedule'}]}}"),
        Arguments.of("pod status: conditions merge, containerStatuses replaced",
            "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'status':{'phase':'Pending',"
                + "'conditions':[{'type':'PodScheduled','status':'True'}],"
                + "'containerStatuses':[{'name':'a','ready':false},{'name':'b','ready':false}]}}",
            "{'status':{'phase':'Running','conditions':[{'type':'Ready','status':'True'}],"
                + "'containerStatuses':[{'name':'a','ready':true}]}}",
            "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'status':{'phase':'Running',"
                + "'conditions':[{'type':'Ready','status':'True'},{'type':'PodScheduled','status':'True'}],"
                + "'containerStatuses':[{'name':'a','ready':true}]}}"),
        Arguments.of("service ports merge by port",
            "{'apiVersion':'v1','kind':'Service','metadata':{'name':'s'},'spec':{'ports':"
                + "[{'name':'http','port':80,'targetPort':8080}]}}",
            "{'spec':{'ports':[{'port':80,'targetPort':9090}]}}",
            "{'apiVersion':'v1','kind':'Service','metadata':{'name':'s'},'spec':{'ports':"
                + "[{'name':'http','port':80,'targetPort':9090}]}}"),
        Arguments.of("endpoints subsets have no strategy: replaced",
            "{'apiVersion':'v1','kind':'Endpoints','metadata':{'name':'e'},'subsets':[{'addresses':[{'ip':'1.1.1.1'}]}]}",
            "{'subsets':[{'addresses':[{'ip':'2.2.2.2'}]}]}",
            "{'apiVersion':'v1','kind':'Endpoints','metadata':{'name':'e'},'subsets':[{'addresses':[{'ip':'2.2.2.2'}]}]}"),
        Arguments.of("PDB selector has strategy replace",
            "{'apiVersion':'policy/v1','kind':'PodDisruptionBudget','metadata':{'name':'b'},'spec':{'selector':"
                + "{'matchLabels':{'a':'1'}}}}",
            "{'spec':{'selector':{'matchLabels':{'b':'2'}}}}",
            "{'apiVersion':'policy/v1','kind':'PodDisruptionBudget','metadata':{'name':'b'},'spec':{'selector':"
                + "{'matchLabels':{'b':'2'}}}}"),
        Arguments.of("apiVersion and kind in the patch are ignored",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'}}",
            "{'apiVersion':'v2','kind':'Secret','data':{'a':'b'}}",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'b'}}"),
        Arguments.of("null body is an empty patch",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'}}",
            "null",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("objectCases")
  void wholeObject(String name, String before, String patch, String after) {
    ObjectNode original = object(before);
    String apiVersion = original.get("apiVersion").asText();
    String kind = original.get("kind").asText();

    ObjectNode result = Patches.apply(PatchType.STRATEGIC_MERGE, original, body(patch), apiVersion, kind);

    assertThat(result).isEqualTo(object(after));
  }

  /** Deployment spec before, patch body, deployment spec after. */
  static Stream<Arguments> deploymentCases() {
    String template = "'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':"
        + "[{'name':'web','image':'nginx:1','env':[{'name':'A','value':'1'}]},{'name':'sidecar','image':'s:1'}]}}";
    return Stream.of(
        Arguments.of("kubectl rollout restart",
            "{'replicas':1," + template + "}",
            "{'spec':{'template':{'metadata':{'annotations':{'kubectl.kubernetes.io/restartedAt':"
                + "'2026-01-02T03:04:05Z'}}}}}",
            "{'replicas':1,'template':{'metadata':{'labels':{'app':'web'},'annotations':"
                + "{'kubectl.kubernetes.io/restartedAt':'2026-01-02T03:04:05Z'}},'spec':{'containers':"
                + "[{'name':'web','image':'nginx:1','env':[{'name':'A','value':'1'}]},{'name':'sidecar','image':'s:1'}]}}}"),
        Arguments.of("kubectl apply: delete a container, add an env var, change replicas",
            "{'replicas':1," + template + "}",
            "{'spec':{'replicas':3,'template':{'spec':{'$setElementOrder/containers':[{'name':'web'}],"
                + "'containers':[{'$setElementOrder/env':[{'name':'A'},{'name':'B'}],"
                + "'env':[{'name':'B','value':'2'}],'name':'web'},{'$patch':'delete','name':'sidecar'}]}}}}",
            "{'replicas':3,'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':"
                + "[{'name':'web','image':'nginx:1','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}]}}}"),
        Arguments.of("kubectl set image on the template",
            "{" + template + "}",
            "{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'web'},{'name':'sidecar'}],"
                + "'containers':[{'image':'s:2','name':'sidecar'}]}}}}",
            "{'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':"
                + "[{'name':'web','image':'nginx:1','env':[{'name':'A','value':'1'}]},{'name':'sidecar','image':'s:2'}]}}}"),
        Arguments.of("strategy $retainKeys drops rollingUpdate",
            "{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}",
            "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}",
            "{'strategy':{'type':'Recreate'}}"),
        Arguments.of("strategy without $retainKeys merges",
            "{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}",
            "{'spec':{'strategy':{'rollingUpdate':{'maxUnavailable':0}}}}",
            "{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1,'maxUnavailable':0}}}"),
        Arguments.of("helm-style replicas patch",
            "{'replicas':1}",
            "{'spec':{'replicas':3}}",
            "{'replicas':3}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deploymentCases")
  void deploymentSpec(String name, String specBefore, String patch, String specAfter) {
    ObjectNode result = Patches.apply(PatchType.STRATEGIC_MERGE, deployment(specBefore), body(patch), "apps/v1",
        "Deployment");

    assertThat(result).isEqualTo(deployment(specAfter));
  }

  @Test
  void templatesOfOtherWorkloadsMergeContainers() {
    for (String[] kind : new String[][] {{"apps/v1", "ReplicaSet"}, {"apps/v1", "StatefulSet"},
        {"apps/v1", "DaemonSet"}, {"batch/v1", "Job"}, {"v1", "ReplicationController"}}) {
      ObjectNode original = object("{'apiVersion':'" + kind[0] + "','kind':'" + kind[1] + "','metadata':{'name':'x'},"
          + "'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'1'}]}}}}");

      ObjectNode result = Patches.apply(PatchType.STRATEGIC_MERGE, original,
          body("{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'2'}]}}}}"), kind[0], kind[1]);

      assertThat(Json.string(result.at("/spec/template/spec/containers")))
          .as(kind[1]).isEqualTo(PatchTestSupport.quoted("[{'name':'a','image':'1'},{'name':'b','image':'2'}]"));
    }
  }

  @Test
  void cronJobTemplateMergesContainers() {
    ObjectNode original = object("{'apiVersion':'batch/v1','kind':'CronJob','metadata':{'name':'c'},'spec':"
        + "{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b'}]}}}}}}");

    ObjectNode result = Patches.apply(PatchType.STRATEGIC_MERGE, original, body(
        "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'2'}]}}}}}}"),
        "batch/v1", "CronJob");

    assertThat(Json.string(result.at("/spec/jobTemplate/spec/template/spec/containers")))
        .isEqualTo(PatchTestSupport.quoted("[{'name':'a','image':'2'},{'name':'b'}]"));
  }

  /** Pod spec before, patch body, expected HTTP code, expected message (prefix). */
  static Stream<Arguments> errorCases() {
    return Stream.of(
        Arguments.of("$patch merge on a list element", AB,
            "{'spec':{'containers':[{'name':'a','$patch':'merge'}]}}",
            500, "merging lists cannot yet be specified in the patch"),
        Arguments.of("unknown $patch on a map", "{'nodeSelector':{'a':'1'}}",
            "{'spec':{'nodeSelector':{'$patch':'bogus'}}}",
            500, "unknown patch type: bogus in map: map[$patch:bogus]"),
        Arguments.of("element without merge key", AB,
            "{'spec':{'containers':[{'image':'x'}]}}",
            500, "map: map[image:x] does not contain declared merge key: name"),
        Arguments.of("patch list out of $setElementOrder", AB,
            "{'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'name':'c'}]}}",
            500, "The order in patch list:"),
        Arguments.of("$retainKeys not covering the patch",
            "{'volumes':[{'name':'v','emptyDir':{}}]}",
            "{'spec':{'volumes':[{'name':'v','$retainKeys':['name'],'configMap':{'name':'cm'}}]}}",
            400, "invalid patch format of retainKeys"),
        Arguments.of("$retainKeys not a list",
            "{'volumes':[{'name':'v','emptyDir':{}}]}",
            "{'spec':{'volumes':[{'name':'v','$retainKeys':'name'}]}}",
            400, "invalid patch format of retainKeys"),
        Arguments.of("malformed $setElementOrder key", AB,
            "{'spec':{'$setElementOrder':[{'name':'a'}]}}",
            400, "invalid patch format of setElementOrder list"),
        Arguments.of("malformed $deleteFromPrimitiveList key", AB,
            "{'spec':{'$deleteFromPrimitiveListX/containers':['a']}}",
            400, "invalid patch format of primitive list"),
        Arguments.of("list of lists", "{'containers':[],'volumes':[]}",
            "{'spec':{'volumes':[['a']]}}",
            422, PatchErrors.UNPROCESSABLE_MESSAGE),
        Arguments.of("mixed element types", AB,
            "{'spec':{'containers':['a']}}",
            500, "list element types are not identical"),
        Arguments.of("a value of another type than the field's", "{'nodeSelector':{'a':'1'}}",
            "{'spec':{'nodeSelector':['x']}}",
            422, " \"\" is invalid: patch: Invalid value: \"map[spec:map[nodeSelector:[x]]]\": cannot restore map "
                + "from slice"),
        Arguments.of("body is an array", AB, "[{'op':'add'}]",
            400, "json: cannot unmarshal array into Go value of type map[string]interface {}"),
        Arguments.of("body is not JSON", AB, "{'spec':", 400, ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCases")
  void errors(String name, String specBefore, String patch, int code, String message) {
    assertThatThrownBy(() -> Patches.apply(PatchType.STRATEGIC_MERGE, pod(specBefore), body(patch), "v1", "Pod"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(code);
          assertThat(e.getMessage()).startsWith(message);
          assertThat(e.reason()).isEqualTo(switch (code) {
            case 400 -> "BadRequest";
            case 422 -> "Invalid";
            default -> null;
          });
        });
  }

  @Test
  void customResourceGroupsRejectStrategicMerge() {
    ObjectNode widget = object("{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w'}}");

    assertThatThrownBy(() -> Patches.apply(PatchType.STRATEGIC_MERGE, widget, body("{}"), "example.com/v1",
        "Widget"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(415);
          assertThat(e.getMessage()).isEqualTo("the body of the request was in an unknown format - accepted media "
              + "types include: application/json-patch+json, application/merge-patch+json, "
              + "application/apply-patch+yaml");
        });
  }

  @Test
  void deeplyNestedPatchMergesWithoutOverflow() {
    int depth = Json.MAX_NESTING_DEPTH - 5;
    String nestedOriginal = "{'x':1}";
    String nestedPatch = "{'y':2}";
    String nestedResult = "{'x':1,'y':2}";
    for (int i = 0; i < depth; i++) {
      nestedOriginal = "{'a':" + nestedOriginal + "}";
      nestedPatch = "{'a':" + nestedPatch + "}";
      nestedResult = "{'a':" + nestedResult + "}";
    }
    ObjectNode original = object("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'d':"
        + nestedOriginal + "}");

    ObjectNode result = Patches.apply(PatchType.STRATEGIC_MERGE, original, body("{'d':" + nestedPatch + "}"), "v1",
        "ConfigMap");

    assertThat(result.get("d")).isEqualTo(object(nestedResult));
  }

  @Test
  void bodyNestedBeyondTheLimitIsBadRequest() {
    String nested = "1";
    for (int i = 0; i < Json.MAX_NESTING_DEPTH + 10; i++) {
      nested = "{'a':" + nested + "}";
    }
    String patch = nested;

    assertThatThrownBy(() -> Patches.apply(PatchType.STRATEGIC_MERGE, pod(AB), body(patch), "v1", "Pod"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
  }

  @Test
  void largeMergeListsStayFast() {
    StringBuilder originalEnv = new StringBuilder();
    StringBuilder patchEnv = new StringBuilder();
    int count = 20_000;
    for (int i = 0; i < count; i++) {
      originalEnv.append(i == 0 ? "" : ",").append("{'name':'E").append(i).append("','value':'a'}");
      patchEnv.append(i == 0 ? "" : ",").append("{'name':'E").append(count - i).append("','value':'b'}");
    }
    ObjectNode original = pod("{'containers':[{'name':'c','env':[" + originalEnv + "]}]}");
    long start = System.nanoTime();

    ObjectNode result = Patches.apply(PatchType.STRATEGIC_MERGE, original,
        body("{'spec':{'containers':[{'name':'c','env':[" + patchEnv + "]}]}}"), "v1", "Pod");

    assertThat(result.at("/spec/containers/0/env").size()).isEqualTo(count + 1);
    assertThat(result.at("/spec/containers/0/env/0/name").asText()).isEqualTo("E20000");
    assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
  }
}
