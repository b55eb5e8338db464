package io.minicluster.api.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRecordsTest {

  private static ObjectNode json(String text) {
    return Json.parseObject(text.replace('\'', '"'));
  }

  @Test
  void aJobDecodesItsSpecPoliciesAndStatus() {
    Job job = Job.from(json("{'metadata':{'name':'pi','uid':'u'},'spec':{'parallelism':2,'completions':5,"
        + "'backoffLimit':6,'completionMode':'Indexed','suspend':true,'selector':{'matchLabels':"
        + "{'batch.kubernetes.io/controller-uid':'u'}},'template':{'spec':{'restartPolicy':'Never','containers':"
        + "[{'name':'pi','image':'busybox'}]}},'podFailurePolicy':{'rules':[{'action':'FailJob','onExitCodes':"
        + "{'operator':'In','values':[42]}},{'action':'Ignore','onPodConditions':[{'type':'DisruptionTarget',"
        + "'status':'True'}]}]},'successPolicy':{'rules':[{'succeededIndexes':'0-2','succeededCount':2}]}},"
        + "'status':{'active':2,'succeeded':1,'startTime':'2026-12-07T09:00:00Z','completedIndexes':'0',"
        + "'uncountedTerminatedPods':{'succeeded':['a']},'conditions':[{'type':'Complete','status':'True'}]}}"));

    assertThat(job.metadata().name()).isEqualTo("pi");
    assertThat(job.spec().parallelism()).isEqualTo(2);
    assertThat(job.spec().completions()).isEqualTo(5);
    assertThat(job.spec().indexed()).isTrue();
    assertThat(job.spec().suspended()).isTrue();
    assertThat(job.spec().activeDeadlineSeconds()).isNull();
    assertThat(job.spec().selector().matchLabels()).isEqualTo(Map.of("batch.kubernetes.io/controller-uid", "u"));
    assertThat(job.spec().template().spec().restartPolicy()).isEqualTo("Never");
    assertThat(job.spec().podFailurePolicy().rules()).hasSize(2);
    assertThat(job.spec().podFailurePolicy().rules().get(0).onExitCodes().values()).isEqualTo(List.of(42L));
    assertThat(job.spec().podFailurePolicy().rules().get(1).onPodConditions().get(0).type())
        .isEqualTo("DisruptionTarget");
    assertThat(job.spec().successPolicy().rules().get(0).succeededCount()).isEqualTo(2);
    assertThat(job.status().active()).isEqualTo(2);
    assertThat(job.status().startTime()).isEqualTo(Instant.parse("2026-12-07T09:00:00Z"));
    assertThat(job.status().completionTime()).isNull();
    assertThat(job.status().uncountedSucceeded()).containsExactly("a");
    assertThat(job.status().finished()).isTrue();
    assertThat(Job.from(json("{}")).spec().template().spec().containers()).isEmpty();
  }

  @Test
  void aCronJobDecodesItsScheduleTemplateAndStatus() {
    CronJob cronJob = CronJob.from(json("{'metadata':{'name':'hello'},'spec':{'schedule':'*/1 * * * *',"
        + "'timeZone':'Europe/Paris','concurrencyPolicy':'Forbid','suspend':false,'successfulJobsHistoryLimit':3,"
        + "'jobTemplate':{'metadata':{'labels':{'app':'h'}},'spec':{'backoffLimit':2,'template':{'spec':"
        + "{'containers':[{'name':'c','image':'busybox'}]}}}}},'status':{'active':[{'kind':'Job','name':'hello-1'}],"
        + "'lastScheduleTime':'2026-12-07T09:00:00Z'}}"));

    assertThat(cronJob.spec().schedule()).isEqualTo("*/1 * * * *");
    assertThat(cronJob.spec().timeZone()).isEqualTo("Europe/Paris");
    assertThat(cronJob.spec().suspended()).isFalse();
    assertThat(cronJob.spec().failedJobsHistoryLimit()).isNull();
    assertThat(cronJob.spec().jobTemplate().metadata().labels()).isEqualTo(Map.of("app", "h"));
    assertThat(cronJob.spec().jobTemplate().spec().backoffLimit()).isEqualTo(2);
    assertThat(cronJob.status().active()).extracting(r -> r.name()).containsExactly("hello-1");
    assertThat(cronJob.status().lastScheduleTime()).isEqualTo(Instant.parse("2026-12-07T09:00:00Z"));
  }
}
