package io.minicluster.registry.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.core.helper.PodSpecDefaults;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PodStrategyTest {
  private final PodStrategy strategy = new PodStrategy();

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  private ObjectNode created(String spec) {
    ObjectNode pod = json("{'metadata':{'name':'p','namespace':'default'},'spec':" + spec + "}");
    strategy.applyDefaults(pod);
    strategy.prepareForCreate(pod);
    return pod;
  }

  private List<String> errors(String spec) {
    return strategy.validate(created(spec)).stream().map(FieldError::message).toList();
  }

  @Test
  void minimalPodMatchesWhatARealClusterReturns() {
    ObjectNode pod = created("{'containers':[{'name':'nginx','image':'nginx'}]}");
    assertThat(pod.get("spec")).isEqualTo(json("{'containers':[{'name':'nginx','image':'nginx',"
        + "'terminationMessagePath':'/dev/termination-log','terminationMessagePolicy':'File',"
        + "'imagePullPolicy':'Always','resources':{}}],'dnsPolicy':'ClusterFirst','restartPolicy':'Always',"
        + "'securityContext':{},'terminationGracePeriodSeconds':30,'schedulerName':'default-scheduler',"
        + "'enableServiceLinks':true,'serviceAccountName':'default','serviceAccount':'default',"
        + "'tolerations':[{'effect':'NoExecute','key':"
        + "'node.kubernetes.io/not-ready','operator':'Exists','tolerationSeconds':300},{'effect':'NoExecute','key':"
        + "'node.kubernetes.io/unreachable','operator':'Exists','tolerationSeconds':300}]}"));
    assertThat(pod.get("status")).isEqualTo(json("{'phase':'Pending','qosClass':'BestEffort'}"));
    assertThat(strategy.validate(pod)).isEmpty();
    ObjectNode again = pod.deepCopy();
    strategy.applyDefaults(again);
    assertThat(again).isEqualTo(pod);
  }

  @Test
  void containerDetailDefaults() {
    ObjectNode pod = created("{'containers':[{'name':'a','image':'nginx:1.25','ports':[{'containerPort':80}],"
        + "'env':[{'name':'N','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}}],"
        + "'resources':{'limits':{'cpu':'0.5','memory':'1024Mi'}},"
        + "'livenessProbe':{'httpGet':{'port':80}}}],'volumes':[{'name':'s','secret':{'secretName':'x'}},"
        + "{'name':'e'},{'name':'h','hostPath':{'path':'/tmp'}}],'tolerations':[{'operator':'Exists'}]}");
    ObjectNode container = (ObjectNode) pod.at("/spec/containers/0");
    assertThat(container.get("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
    assertThat(container.at("/ports/0/protocol").asText()).isEqualTo("TCP");
    assertThat(container.at("/env/0/valueFrom/fieldRef/apiVersion").asText()).isEqualTo("v1");
    assertThat(container.get("resources")).isEqualTo(json("{'limits':{'cpu':'500m','memory':'1Gi'},"
        + "'requests':{'cpu':'500m','memory':'1Gi'}}"));
    assertThat(container.get("livenessProbe")).isEqualTo(json("{'httpGet':{'port':80,'path':'/','scheme':'HTTP'},"
        + "'timeoutSeconds':1,'periodSeconds':10,'successThreshold':1,'failureThreshold':3}"));
    assertThat(pod.at("/spec/volumes")).isEqualTo(Json.MAPPER.valueToTree(List.of(
        json("{'name':'s','secret':{'secretName':'x','defaultMode':420}}"), json("{'name':'e','emptyDir':{}}"),
        json("{'name':'h','hostPath':{'path':'/tmp','type':''}}"))));
    assertThat(pod.at("/spec/tolerations").size()).as("match-all toleration covers both taints").isEqualTo(1);
    assertThat(pod.at("/status/qosClass").asText()).isEqualTo("Guaranteed");
    assertThat(strategy.validate(pod)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"nginx, Always", "nginx:latest, Always", "nginx:1.25, IfNotPresent", "localhost:5000/app, Always",
      "localhost:5000/app:v1, IfNotPresent", "nginx@sha256:abc, IfNotPresent"})
  void pullPolicy(String image, String policy) {
    assertThat(PodSpecDefaults.defaultPullPolicy(image)).isEqualTo(policy);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{}|BestEffort",
      "{'requests':{'cpu':'100m'}}|Burstable",
      "{'limits':{'cpu':'1','memory':'1Gi'}}|Guaranteed",
      "{'limits':{'cpu':'1'}}|Burstable",
      "{'requests':{'cpu':'1','memory':'1Gi'},'limits':{'cpu':'2','memory':'1Gi'}}|Burstable",
      "{'requests':{'cpu':'0'}}|BestEffort",
      "{'requests':{'ephemeral-storage':'1Gi'}}|BestEffort"})
  void qosClass(String resources, String expected) {
    ObjectNode pod = created("{'containers':[{'name':'a','image':'x','resources':" + resources + "}]}");
    assertThat(pod.at("/status/qosClass").asText()).isEqualTo(expected);
  }

  @Test
  void validationErrorsWithKubernetesPathsAndMessages() {
    assertThat(errors("{'containers':[]}")).containsExactly("spec.containers: Required value");
    assertThat(errors("{'containers':[{'name':'web','image':'a'},{'name':'web'}]}")).containsExactly(
        "spec.containers[1].image: Required value", "spec.containers[1].name: Duplicate value: \"web\"");
    assertThat(errors("{'containers':[{'name':'a','image':'a','ports':[{'containerPort':70000}]}]}"))
        .containsExactly("spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and "
            + "65535, inclusive");
    assertThat(errors("{'containers':[{'name':'a','image':'a','ports':[{'containerPort':80,'protocol':'ICMP'}]}]}"))
        .containsExactly("spec.containers[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: "
            + "\"SCTP\", \"TCP\", \"UDP\"");
    assertThat(errors("{'containers':[{'name':'a','image':'a','volumeMounts':[{'name':'v','mountPath':'/x'}]}]}"))
        .containsExactly("spec.containers[0].volumeMounts[0].name: Not found: \"v\"");
    assertThat(errors("{'containers':[{'name':'a','image':'a'}],'restartPolicy':'Sometimes'}")).containsExactly(
        "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"");
    assertThat(errors("{'containers':[{'name':'a','image':'a','resources':{'requests':{'cpu':'2'},"
        + "'limits':{'cpu':'1'}}}]}")).containsExactly(
        "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1");
    assertThat(errors("{'containers':[{'name':'a','image':'a','readinessProbe':{'exec':{'command':['x']},"
        + "'tcpSocket':{'port':80}}}]}")).containsExactly(
        "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type");
    assertThat(errors("{'containers':[{'name':'a','image':'a','env':[{'name':'A=B'}]}]}")).containsExactly(
        "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist "
            + "only of printable ASCII characters other than '='");
    assertThat(errors("{'containers':[{'name':'a','image':'a'}],'volumes':[{'name':'v','emptyDir':{},"
        + "'hostPath':{'path':'/x'}},{'name':'Bad'}]}")).containsExactly(
        "spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type",
        "spec.volumes[1].name: Invalid value: \"Bad\": a lowercase RFC 1123 label must consist of lower case "
            + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. "
            + "'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    // requests default to the limits, so the bad limit is reported for both
    assertThat(errors("{'containers':[{'name':'a','image':'a','resources':{'limits':{'cpu':'lots'}}}]}"))
        .contains("spec.containers[0].resources.limits[cpu]: Invalid value: \"lots\": quantities must match "
            + "the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  }

  @Test
  void updatesMayOnlyChangeImagesAndFriends() {
    ObjectNode old = created("{'containers':[{'name':'a','image':'nginx:1'}]}");
    ObjectNode image = old.deepCopy();
    ((ObjectNode) image.at("/spec/containers/0")).put("image", "nginx:2");
    assertThat(strategy.validateUpdate(image, old)).isEmpty();
    ObjectNode port = old.deepCopy();
    ((ObjectNode) port.at("/spec/containers/0")).putArray("ports").addObject().put("containerPort", 80)
        .put("protocol", "TCP");
    List<FieldError> errors = strategy.validateUpdate(port, old);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).message()).startsWith("spec: Forbidden: " + PodStrategy.UPDATE_FORBIDDEN + "\n");
    ObjectNode added = old.deepCopy();
    ((ObjectNode) added.get("spec")).withArray("containers").addObject().put("name", "b").put("image", "x")
        .put("terminationMessagePolicy", "File").put("imagePullPolicy", "Always");
    assertThat(strategy.validateUpdate(added, old)).extracting(FieldError::message)
        .containsExactly("spec.containers: Forbidden: pod updates may not add or remove containers");
    ObjectNode tolerations = old.deepCopy();
    ((ObjectNode) tolerations.get("spec")).withArray("tolerations").removeAll();
    assertThat(strategy.validateUpdate(tolerations, old)).extracting(FieldError::message).containsExactly(
        "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds");
  }
}
