package io.minicluster.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.apps.ControllerRevision;
import io.minicluster.api.apps.DaemonSet;
import io.minicluster.api.apps.StatefulSet;
import io.minicluster.api.core.PersistentVolume;
import io.minicluster.api.core.PersistentVolumeClaim;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decoding of the storage kinds and of the apps kinds that carry claims and revisions. */
class StorageRecordsTest {

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  @Test
  void storageClassAndItsDefaultAnnotation() {
    StorageClass storageClass = StorageClass.from(json("{'metadata':{'name':'local-path','annotations':"
        + "{'storageclass.kubernetes.io/is-default-class':'true'}},'provisioner':'rancher.io/local-path',"
        + "'reclaimPolicy':'Delete','volumeBindingMode':'WaitForFirstConsumer','parameters':{'a':'b'}}"));

    assertThat(storageClass.isDefault()).isTrue();
    assertThat(storageClass.provisioner()).isEqualTo("rancher.io/local-path");
    assertThat(storageClass.volumeBindingMode()).isEqualTo(StorageClass.WAIT_FOR_FIRST_CONSUMER);
    assertThat(storageClass.allowVolumeExpansion()).isNull();
    assertThat(storageClass.parameters()).isEqualTo(Map.of("a", "b"));
    assertThat(StorageClass.from(json("{'metadata':{'name':'x'}}")).isDefault()).isFalse();
  }

  @Test
  void volumesAndClaims() {
    PersistentVolume volume = PersistentVolume.from(json("{'metadata':{'name':'pv-1'},'spec':{'capacity':"
        + "{'storage':'5Gi'},'accessModes':['ReadWriteOnce'],'hostPath':{'path':'/data/pv-1'},"
        + "'persistentVolumeReclaimPolicy':'Retain','claimRef':{'namespace':'default','name':'data','uid':'u'},"
        + "'nodeAffinity':{'required':{'nodeSelectorTerms':[{'matchExpressions':[{'key':'kubernetes.io/hostname',"
        + "'operator':'In','values':['node']}]}]}}},'status':{'phase':'Bound'}}"));
    assertThat(volume.spec().capacity().get("storage")).isEqualTo(Quantity.parse("5Gi"));
    assertThat(volume.spec().hostPath().path()).isEqualTo("/data/pv-1");
    assertThat(volume.spec().claimRef().name()).isEqualTo("data");
    assertThat(volume.spec().nodeAffinity().nodeSelectorTerms()).hasSize(1);
    assertThat(volume.spec().volumeMode()).isNull();
    assertThat(volume.status().phase()).isEqualTo("Bound");

    PersistentVolumeClaim claim = PersistentVolumeClaim.from(json("{'metadata':{'name':'data'},'spec':"
        + "{'accessModes':['ReadWriteOnce'],'resources':{'requests':{'storage':'1Gi'}},'volumeMode':'Filesystem'},"
        + "'status':{'phase':'Pending'}}"));
    assertThat(claim.spec().storageClassName()).isNull();
    assertThat(claim.spec().resources().requests().get("storage")).isEqualTo(Quantity.parse("1Gi"));
    assertThat(claim.status().phase()).isEqualTo("Pending");
  }

  @Test
  void statefulSetsDaemonSetsAndRevisions() {
    StatefulSet set = StatefulSet.from(json("{'metadata':{'name':'web'},'spec':{'replicas':3,'serviceName':'web',"
        + "'podManagementPolicy':'Parallel','updateStrategy':{'type':'RollingUpdate','rollingUpdate':"
        + "{'partition':1,'maxUnavailable':'50%'}},'persistentVolumeClaimRetentionPolicy':{'whenDeleted':'Delete',"
        + "'whenScaled':'Retain'},'volumeClaimTemplates':[{'metadata':{'name':'www'},'spec':{'accessModes':"
        + "['ReadWriteOnce']}}]},'status':{'replicas':2,'readyReplicas':1,'availableReplicas':1,"
        + "'updateRevision':'web-abc'}}"));
    assertThat(set.spec().replicas()).isEqualTo(3);
    assertThat(set.spec().partition()).isEqualTo(1);
    assertThat(set.spec().maxUnavailable().stringValue()).isEqualTo("50%");
    assertThat(set.spec().whenDeleted()).isEqualTo("Delete");
    assertThat(set.spec().volumeClaimTemplates()).extracting(c -> c.metadata().name()).containsExactly("www");
    assertThat(set.status().updateRevision()).isEqualTo("web-abc");
    assertThat(set.spec().ordinalsStart()).isNull();

    DaemonSet daemonSet = DaemonSet.from(json("{'metadata':{'name':'agent'},'spec':{'updateStrategy':"
        + "{'type':'RollingUpdate','rollingUpdate':{'maxUnavailable':1,'maxSurge':0}}},'status':"
        + "{'desiredNumberScheduled':1,'numberReady':1}}"));
    assertThat(daemonSet.spec().updateStrategy().maxUnavailable().intValue()).isEqualTo(1);
    assertThat(daemonSet.status().desiredNumberScheduled()).isEqualTo(1);

    ControllerRevision revision = ControllerRevision.from(json("{'metadata':{'name':'web-abc'},'revision':2,"
        + "'data':{'spec':{'template':{}}}}"));
    assertThat(revision.revision()).isEqualTo(2);
    assertThat(revision.data()).isEqualTo("{\"spec\":{\"template\":{}}}");
  }
}
