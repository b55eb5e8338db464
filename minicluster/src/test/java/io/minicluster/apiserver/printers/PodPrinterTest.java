package io.minicluster.apiserver.printers;

import static io.minicluster.apiserver.printers.TestObjects.NOW;
import static io.minicluster.apiserver.printers.TestObjects.ago;
import static io.minicluster.apiserver.printers.TestObjects.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodPrinterTest {
  private static final String ONE_CONTAINER = "'spec':{'containers':[{'name':'app'}]}";
  private static final String TWO_CONTAINERS = "'spec':{'containers':[{'name':'a'},{'name':'b'}]}";
  private static final String TWO_INIT = "'spec':{'initContainers':[{'name':'i1'},{'name':'i2'}],"
      + "'containers':[{'name':'app'}]}";
  private static final String RUNNING_READY = "{'name':'app','ready':true,'restartCount':0,"
      + "'state':{'running':{'startedAt':'" + ago(60) + "'}}}";

  private final PodPrinter printer = new PodPrinter();

  static Stream<Arguments> pods() {
    return Stream.of(
        Arguments.of("pending, no statuses",
            "{" + ONE_CONTAINER + ",'status':{'phase':'Pending'}}", "0/1", "Pending", "0"),
        Arguments.of("container creating",
            "{" + ONE_CONTAINER + ",'status':{'phase':'Pending','containerStatuses':[{'name':'app','ready':false,"
                + "'restartCount':0,'state':{'waiting':{'reason':'ContainerCreating'}}}]}}",
            "0/1", "ContainerCreating", "0"),
        Arguments.of("running and ready",
            "{" + ONE_CONTAINER + ",'status':{'phase':'Running','conditions':[{'type':'Ready','status':'True'}],"
                + "'containerStatuses':[" + RUNNING_READY + "]}}",
            "1/1", "Running", "0"),
        Arguments.of("crash loop with last restart time",
            "{" + ONE_CONTAINER + ",'status':{'phase':'Running','containerStatuses':[{'name':'app','ready':false,"
                + "'restartCount':5,'state':{'waiting':{'reason':'CrashLoopBackOff'}},"
                + "'lastState':{'terminated':{'exitCode':1,'reason':'Error','finishedAt':'" + ago(300) + "'}}}]}}",
            "0/1", "CrashLoopBackOff", "5 (5m ago)"),
        Arguments.of("restarts without a finish time",
            "{" + ONE_CONTAINER + ",'status':{'phase':'Running','containerStatuses':[{'name':'app','ready':true,"
                + "'restartCount':2,'state':{'running':{}}}]}}",
            "1/1", "Running", "2"),
        Arguments.of("image pull error",
            "{" + ONE_CONTAINER + ",'status':{'phase':'Pending','containerStatuses':[{'name':'app',"
                + "'state':{'waiting':{'reason':'ErrImagePull','message':'no registry'}}}]}}",
            "0/1", "ErrImagePull", "0"),
        Arguments.of("image pull back-off",
            "{" + ONE_CONTAINER + ",'status':{'phase':'Pending','containerStatuses':[{'name':'app',"
                + "'state':{'waiting':{'reason':'ImagePullBackOff'}}}]}}",
            "0/1", "ImagePullBackOff", "0"),
        Arguments.of("completed",
            "{" + ONE_CONTAINER + ",'status':{'phase':'Succeeded','containerStatuses':[{'name':'app',"
                + "'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}}",
            "0/1", "Completed", "0"),
        Arguments.of("error",
            "{" + ONE_CONTAINER + ",'status':{'phase':'Failed','containerStatuses':[{'name':'app',"
                + "'state':{'terminated':{'exitCode':1,'reason':'Error'}}}]}}",
            "0/1", "Error", "0"),
        Arguments.of("out of memory",
            "{" + ONE_CONTAINER + ",'status':{'phase':'Running','containerStatuses':[{'name':'app','restartCount':1,"
                + "'state':{'terminated':{'exitCode':137,'reason':'OOMKilled'}}}]}}",
            "0/1", "OOMKilled", "1"),
        Arguments.of("exit code without reason",
            "{" + ONE_CONTAINER + ",'status':{'phase':'Failed','containerStatuses':[{'name':'app',"
                + "'state':{'terminated':{'exitCode':3}}}]}}",
            "0/1", "ExitCode:3", "0"),
        Arguments.of("signal without reason",
            "{" + ONE_CONTAINER + ",'status':{'phase':'Failed','containerStatuses':[{'name':'app',"
                + "'state':{'terminated':{'exitCode':137,'signal':9}}}]}}",
            "0/1", "Signal:9", "0"),
        Arguments.of("first init container pending",
            "{" + TWO_INIT + ",'status':{'phase':'Pending','initContainerStatuses':["
                + "{'name':'i1','state':{'waiting':{'reason':'PodInitializing'}}},"
                + "{'name':'i2','state':{'waiting':{'reason':'PodInitializing'}}}],"
                + "'containerStatuses':[{'name':'app','state':{'waiting':{'reason':'PodInitializing'}}}]}}",
            "0/1", "Init:0/2", "0"),
        Arguments.of("second init container running",
            "{" + TWO_INIT + ",'status':{'phase':'Pending','initContainerStatuses':["
                + "{'name':'i1','state':{'terminated':{'exitCode':0,'reason':'Completed'}}},"
                + "{'name':'i2','restartCount':1,'state':{'running':{}}}]}}",
            "0/1", "Init:1/2", "1"),
        Arguments.of("init crash loop",
            "{" + TWO_INIT + ",'status':{'phase':'Pending','initContainerStatuses':["
                + "{'name':'i1','restartCount':4,'state':{'waiting':{'reason':'CrashLoopBackOff'}},"
                + "'lastState':{'terminated':{'exitCode':1,'finishedAt':'" + ago(125) + "'}}}]}}",
            "0/1", "Init:CrashLoopBackOff", "4 (2m5s ago)"),
        Arguments.of("init error",
            "{" + TWO_INIT + ",'status':{'phase':'Failed','initContainerStatuses':["
                + "{'name':'i1','state':{'terminated':{'exitCode':1,'reason':'Error'}}}]}}",
            "0/1", "Init:Error", "0"),
        Arguments.of("init exit code",
            "{" + TWO_INIT + ",'status':{'phase':'Pending','initContainerStatuses':["
                + "{'name':'i1','state':{'terminated':{'exitCode':2}}}]}}",
            "0/1", "Init:ExitCode:2", "0"),
        Arguments.of("init signal",
            "{" + TWO_INIT + ",'status':{'phase':'Pending','initContainerStatuses':["
                + "{'name':'i1','state':{'terminated':{'exitCode':137,'signal':9}}}]}}",
            "0/1", "Init:Signal:9", "0"),
        Arguments.of("terminating",
            "{'metadata':{'deletionTimestamp':'" + ago(1) + "'}," + ONE_CONTAINER
                + ",'status':{'phase':'Running','containerStatuses':[" + RUNNING_READY + "]}}",
            "1/1", "Terminating", "0"),
        Arguments.of("deleted after success keeps its status",
            "{'metadata':{'deletionTimestamp':'" + ago(1) + "'}," + ONE_CONTAINER
                + ",'status':{'phase':'Succeeded','containerStatuses':[{'name':'app',"
                + "'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}}",
            "0/1", "Completed", "0"),
        Arguments.of("node lost",
            "{'metadata':{'deletionTimestamp':'" + ago(1) + "'}," + ONE_CONTAINER
                + ",'status':{'phase':'Running','reason':'NodeLost'}}",
            "0/1", "Unknown", "0"),
        Arguments.of("evicted",
            "{" + ONE_CONTAINER + ",'status':{'phase':'Failed','reason':'Evicted'}}", "0/1", "Evicted", "0"),
        Arguments.of("scheduling gated",
            "{" + ONE_CONTAINER + ",'status':{'phase':'Pending','conditions':[{'type':'PodScheduled',"
                + "'status':'False','reason':'SchedulingGated'}]}}",
            "0/1", "SchedulingGated", "0"),
        Arguments.of("one container completed, one running, pod not ready",
            "{" + TWO_CONTAINERS + ",'status':{'phase':'Running','conditions':[{'type':'Ready','status':'False'}],"
                + "'containerStatuses':[{'name':'a','state':{'terminated':{'exitCode':0,'reason':'Completed'}}},"
                + "{'name':'b','ready':true,'state':{'running':{}}}]}}",
            "1/2", "NotReady", "0"),
        Arguments.of("one container completed, one running, pod ready",
            "{" + TWO_CONTAINERS + ",'status':{'phase':'Running','conditions':[{'type':'Ready','status':'True'}],"
                + "'containerStatuses':[{'name':'a','state':{'terminated':{'exitCode':0,'reason':'Completed'}}},"
                + "{'name':'b','ready':true,'state':{'running':{}}}]}}",
            "1/2", "Running", "0"),
        Arguments.of("completed container hides a failed one",
            "{" + TWO_CONTAINERS + ",'status':{'phase':'Failed','containerStatuses':["
                + "{'name':'a','state':{'terminated':{'exitCode':0,'reason':'Completed'}}},"
                + "{'name':'b','state':{'terminated':{'exitCode':1,'reason':'Error'}}}]}}",
            "0/2", "Error", "0"),
        Arguments.of("sidecar counts in ready and restarts",
            "{'spec':{'initContainers':[{'name':'proxy','restartPolicy':'Always'}],'containers':[{'name':'app'}]},"
                + "'status':{'phase':'Running','conditions':[{'type':'Initialized','status':'True'},"
                + "{'type':'Ready','status':'True'}],"
                + "'initContainerStatuses':[{'name':'proxy','started':true,'ready':true,'restartCount':2,"
                + "'state':{'running':{}},'lastState':{'terminated':{'exitCode':1,'finishedAt':'" + ago(600) + "'}}}],"
                + "'containerStatuses':[{'name':'app','ready':true,'restartCount':1,'state':{'running':{}},"
                + "'lastState':{'terminated':{'exitCode':1,'finishedAt':'" + ago(30) + "'}}}]}}",
            "2/2", "Running", "3 (30s ago)"),
        Arguments.of("sidecar not started yet blocks initialization",
            "{'spec':{'initContainers':[{'name':'proxy','restartPolicy':'Always'}],'containers':[{'name':'app'}]},"
                + "'status':{'phase':'Pending','initContainerStatuses':[{'name':'proxy','started':false,"
                + "'state':{'running':{}}}]}}",
            "0/2", "Init:0/1", "0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pods")
  void readyStatusAndRestarts(String description, String pod, String ready, String status, String restarts) {
    List<Object> cells = printer.cells(json(pod), NOW);

    assertThat(cells.subList(1, 4)).containsExactly(ready, status, restarts);
  }

  @Test
  void cellsMatchColumnsIncludingWide() {
    ObjectNode pod = json("{'metadata':{'name':'web-0','creationTimestamp':'" + ago(42) + "'},"
        + "'spec':{'nodeName':'node-1','containers':[{'name':'app'}],"
        + "'readinessGates':[{'conditionType':'example.com/a'},{'conditionType':'example.com/b'}]},"
        + "'status':{'phase':'Running','podIPs':[{'ip':'10.1.0.8'}],'conditions':["
        + "{'type':'example.com/a','status':'True'},{'type':'example.com/b','status':'False'}],"
        + "'containerStatuses':[" + RUNNING_READY + "]}}");

    List<Object> cells = printer.cells(pod, NOW);

    assertThat(printer.columns()).extracting(Column::name).containsExactly(
        "Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates");
    assertThat(printer.columns()).extracting(Column::priority).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1);
    assertThat(printer.columns().get(3).type()).isEqualTo("string");
    assertThat(cells).containsExactly("web-0", "1/1", "Running", "0", "42s", "10.1.0.8", "node-1", "<none>", "1/2");
  }

  @Test
  void missingWideFieldsPrintNone() {
    List<Object> cells = printer.cells(json("{'metadata':{'name':'p'}," + ONE_CONTAINER + "}"), NOW);

    assertThat(cells).containsExactly("p", "0/1", "", "0", "<unknown>", "<none>", "<none>", "<none>", "<none>");
  }

  @Test
  void podIpFieldWinsOverPodIps() {
    List<Object> cells = printer.cells(json("{" + ONE_CONTAINER
        + ",'status':{'podIP':'10.1.0.9','podIPs':[{'ip':'fd00::9'}]}}"), NOW);

    assertThat(cells.get(5)).isEqualTo("10.1.0.9");
  }

  @Test
  void finishedPodsCarryCompletedRowCondition() {
    assertThat(printer.conditions(json("{'status':{'phase':'Succeeded'}}")))
        .containsExactly(new RowCondition("Completed", "True", "Succeeded", "The pod has completed successfully."));
    assertThat(printer.conditions(json("{'status':{'phase':'Failed'}}")))
        .containsExactly(new RowCondition("Completed", "True", "Failed", "The pod failed."));
    assertThat(printer.conditions(json("{'status':{'phase':'Running'}}"))).isEmpty();
  }
}
