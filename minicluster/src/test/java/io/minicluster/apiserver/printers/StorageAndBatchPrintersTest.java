package io.minicluster.apiserver.printers;

import static io.minicluster.apiserver.printers.TestObjects.NOW;
import static io.minicluster.apiserver.printers.TestObjects.ago;
import static io.minicluster.apiserver.printers.TestObjects.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The columns of the kinds of issue 12 that printers.go prints: CronJob, ControllerRevision, PV, PVC, StorageClass. */
class StorageAndBatchPrintersTest {

  private static List<String> headers(String apiVersion, String kind) {
    return TablePrinters.forKind(apiVersion, kind).columns().stream()
        .map(c -> c.priority() == 0 ? c.name() : c.name() + " (wide)").toList();
  }

  @Test
  void cronJob() {
    assertThat(headers("batch/v1", "CronJob")).containsExactly("Name", "Schedule", "Timezone", "Suspend", "Active",
        "Last Schedule", "Age", "Containers (wide)", "Images (wide)", "Selector (wide)");
    assertThat(TablePrinters.forKind("batch/v1", "CronJob").cells(json("{'metadata':{'name':'hello',"
        + "'creationTimestamp':'" + ago(300) + "'},'spec':{'schedule':'*/1 * * * *','suspend':false,'jobTemplate':"
        + "{'spec':{'template':{'spec':{'containers':[{'name':'hello','image':'busybox'}]}}}}},'status':{'active':"
        + "[{'name':'hello-1'}],'lastScheduleTime':'" + ago(45) + "'}}"), NOW))
        .containsExactly("hello", "*/1 * * * *", "<none>", "False", 1L, "45s", "5m", "hello", "busybox", "<none>");
  }

  @Test
  void controllerRevision() {
    assertThat(headers("apps/v1", "ControllerRevision")).containsExactly("Name", "Controller", "Revision", "Age");
    assertThat(TablePrinters.forKind("apps/v1", "ControllerRevision").cells(json("{'metadata':{'name':'web-5d8f',"
        + "'creationTimestamp':'" + ago(60) + "','ownerReferences':[{'apiVersion':'apps/v1','kind':'StatefulSet',"
        + "'name':'web','uid':'u','controller':true}]},'revision':2}"), NOW))
        .containsExactly("web-5d8f", "statefulset.apps/web", 2L, "60s");
  }

  @Test
  void persistentVolume() {
    assertThat(headers("v1", "PersistentVolume")).containsExactly("Name", "Capacity", "Access Modes",
        "Reclaim Policy", "Status", "Claim", "StorageClass", "VolumeAttributesClass", "Reason", "Age",
        "VolumeMode (wide)");
    assertThat(TablePrinters.forKind("v1", "PersistentVolume").cells(json("{'metadata':{'name':'pv-1',"
        + "'creationTimestamp':'" + ago(120) + "'},'spec':{'capacity':{'storage':'5Gi'},'accessModes':"
        + "['ReadWriteMany','ReadWriteOnce'],'persistentVolumeReclaimPolicy':'Delete','storageClassName':"
        + "'local-path','claimRef':{'namespace':'default','name':'data'},'volumeMode':'Filesystem'},"
        + "'status':{'phase':'Bound'}}"), NOW))
        .containsExactly("pv-1", "5Gi", "RWO,RWX", "Delete", "Bound", "default/data", "local-path", "<unset>", "",
            "2m", "Filesystem");
  }

  @Test
  void persistentVolumeClaim() {
    assertThat(headers("v1", "PersistentVolumeClaim")).containsExactly("Name", "Status", "Volume", "Capacity",
        "Access Modes", "StorageClass", "VolumeAttributesClass", "Age", "VolumeMode (wide)");
    assertThat(TablePrinters.forKind("v1", "PersistentVolumeClaim").cells(json("{'metadata':{'name':'data',"
        + "'creationTimestamp':'" + ago(10) + "'},'spec':{'accessModes':['ReadWriteOnce'],'resources':{'requests':"
        + "{'storage':'1Gi'}},'volumeMode':'Filesystem'},'status':{'phase':'Pending'}}"), NOW))
        .containsExactly("data", "Pending", "", "", "", "<unset>", "<unset>", "10s", "Filesystem");
    assertThat(TablePrinters.forKind("v1", "PersistentVolumeClaim").cells(json("{'metadata':{'name':'data',"
        + "'creationTimestamp':'" + ago(10) + "'},'spec':{'accessModes':['ReadWriteOnce'],'volumeName':'pv-1',"
        + "'storageClassName':'local-path'},'status':{'phase':'Bound','accessModes':['ReadWriteOnce'],"
        + "'capacity':{'storage':'2Gi'}}}"), NOW))
        .containsExactly("data", "Bound", "pv-1", "2Gi", "RWO", "local-path", "<unset>", "10s", "<unset>");
  }

  @Test
  void storageClass() {
    assertThat(headers("storage.k8s.io/v1", "StorageClass")).containsExactly("Name", "Provisioner",
        "ReclaimPolicy", "VolumeBindingMode", "AllowVolumeExpansion", "Age");
    assertThat(TablePrinters.forKind("storage.k8s.io/v1", "StorageClass").cells(json("{'metadata':{'name':"
        + "'local-path','creationTimestamp':'" + ago(30) + "','annotations':{'storageclass.kubernetes.io/"
        + "is-default-class':'true'}},'provisioner':'rancher.io/local-path','reclaimPolicy':'Delete',"
        + "'volumeBindingMode':'WaitForFirstConsumer'}"), NOW))
        .containsExactly("local-path (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", false,
            "30s");
  }
}
