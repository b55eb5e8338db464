package io.minicluster.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceStrategyTest {
  private final ServiceStrategy strategy = new ServiceStrategy();

  private ObjectNode created(String spec) {
    ObjectNode service = Json.parseObject(("{'metadata':{'name':'s','namespace':'default'},'spec':" + spec + "}")
        .replace('\'', '"'));
    strategy.applyDefaults(service);
    strategy.prepareForCreate(service);
    return service;
  }

  private List<String> errors(String spec) {
    return strategy.validate(created(spec)).stream().map(FieldError::message).toList();
  }

  @Test
  void minimalServiceDefaults() {
    ObjectNode service = created("{'selector':{'app':'web'},'ports':[{'port':80}]}");
    assertThat(service.get("spec")).isEqualTo(Json.parseObject(("{'selector':{'app':'web'},'ports':[{'port':80,"
        + "'protocol':'TCP','targetPort':80}],'sessionAffinity':'None','type':'ClusterIP',"
        + "'internalTrafficPolicy':'Cluster','ipFamilyPolicy':'SingleStack','ipFamilies':['IPv4']}")
        .replace('\'', '"')));
    assertThat(service.get("status").toString()).isEqualTo("{\"loadBalancer\":{}}");
    assertThat(strategy.validate(service)).isEmpty();
    assertThat(strategy.nameValidator().validate("1svc", false)).hasSize(1);
  }

  @Test
  void validationErrors() {
    assertThat(errors("{}")).containsExactly("spec.ports: Required value");
    assertThat(errors("{'ports':[{'port':80},{'port':80,'name':'b'}]}")).containsExactly(
        "spec.ports[0].name: Required value",
        "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), "
            + "Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}");
    assertThat(errors("{'type':'Magic','ports':[{'port':0}]}")).containsExactly(
        "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
        "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
        "spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", "
            + "\"LoadBalancer\", \"NodePort\"");
    assertThat(errors("{'type':'NodePort','ports':[{'port':80,'nodePort':80}]}")).containsExactly(
        "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid "
            + "ports is 30000-32767");
    assertThat(errors("{'ports':[{'port':80,'nodePort':30080}]}")).containsExactly(
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
    assertThat(errors("{'clusterIP':'None'}")).isEmpty();
  }

  @Test
  void clusterIpMayNotChange() {
    ObjectNode old = created("{'ports':[{'port':80}],'clusterIP':'10.96.0.10'}");
    ObjectNode updated = old.deepCopy();
    ((ObjectNode) updated.get("spec")).put("clusterIP", "10.96.0.11").putArray("clusterIPs").add("10.96.0.11");
    assertThat(strategy.validateUpdate(updated, old)).extracting(FieldError::message).containsExactly(
        "spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set");
  }
}
