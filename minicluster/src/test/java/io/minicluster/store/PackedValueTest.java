package io.minicluster.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedValueTest {
  private static byte[] pod(String name) {
    return ("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\","
        + "\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\","
        + "\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\"}],"
        + "\"tolerations\":[{\"effect\":\"NoExecute\",\"key\":\"node.kubernetes.io/not-ready\",\"operator\":"
        + "\"Exists\",\"tolerationSeconds\":300},{\"effect\":\"NoExecute\",\"key\":\"node.kubernetes.io/unreachable\","
        + "\"operator\":\"Exists\",\"tolerationSeconds\":300}],\"restartPolicy\":\"Always\",\"dnsPolicy\":"
        + "\"ClusterFirst\",\"schedulerName\":\"default-scheduler\",\"serviceAccountName\":\"default\"},"
        + "\"status\":{\"phase\":\"Pending\",\"qosClass\":\"BestEffort\"}}").getBytes(UTF_8);
  }

  @Test
  void aValueOfATypeAlreadySeenIsHeldInAFractionOfItsLength() {
    // a type of this test's own: the dictionaries are the process's, whatever other tests stored before
    PackedValue.pack("/registry/packed.test/pods/default/first", pod("first"));
    byte[] second = pod("second-pod");

    PackedValue packed = PackedValue.pack("/registry/packed.test/pods/other/second", second.clone());

    assertThat(packed.size()).isLessThan(second.length / 5);
    assertThat(packed.length()).isEqualTo(second.length);
    assertThat(packed.unpack()).isEqualTo(second);
  }

  @Test
  void shortAndIncompressibleValuesAreHeldAsGivenAndUnpackToACopy() {
    byte[] other = new byte[4_000];
    new Random(6).nextBytes(other);
    PackedValue.pack("/registry/random/things/first", other); // the type's dictionary: of no use to the next one
    byte[] random = new byte[4_000];
    new Random(7).nextBytes(random);
    for (byte[] value : new byte[][] {new byte[0], "{}".getBytes(UTF_8), random}) {
      PackedValue packed = PackedValue.pack("/registry/random/things/" + value.length, value);
      assertThat(packed.size()).isEqualTo(value.length);
      byte[] unpacked = packed.unpack();
      assertThat(unpacked).isEqualTo(value).isNotSameAs(value);
    }
  }

  @Test
  void theDictionaryIsACopyThatLaterChangesToTheFirstValueDoNotReach() {
    byte[] first = pod("mutable");
    byte[] expected = first.clone();
    PackedValue packed = PackedValue.pack("/registry/apps/mutables/default/a", first);
    PackedValue second = PackedValue.pack("/registry/apps/mutables/default/b", pod("b"));

    Arrays.fill(first, (byte) 0);

    assertThat(second.unpack()).isEqualTo(pod("b"));
    assertThat(packed.length()).isEqualTo(expected.length);
  }

  @Test
  void theTypeIsTheKeyUpToItsFourthSlash() {
    assertThat(PackedValue.typePrefix("/registry/core/pods/default/web")).isEqualTo("/registry/core/pods/");
    assertThat(PackedValue.typePrefix("/registry/core/nodes/n1")).isEqualTo("/registry/core/nodes/");
    assertThat(PackedValue.typePrefix("/k/1")).isEqualTo("/k/");
    assertThat(PackedValue.typePrefix("plain")).isEqualTo("");
  }

  @Test
  void valuesPackAndUnpackFromManyThreadsAtOnce() throws Exception {
    Thread[] threads = new Thread[8];
    AssertionError[] failure = new AssertionError[1];
    for (int t = 0; t < threads.length; t++) {
      int id = t;
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 500; i++) {
          byte[] value = pod("pod-" + id + "-" + i);
          PackedValue packed = PackedValue.pack("/registry/core/pods/ns/pod-" + id + "-" + i, value.clone());
          if (!Arrays.equals(packed.unpack(), value)) {
            failure[0] = new AssertionError("pod-" + id + "-" + i + " changed");
          }
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failure[0]).isNull();
  }
}
