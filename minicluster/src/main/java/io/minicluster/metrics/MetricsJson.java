package io.minicluster.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.Meta;
import io.minicluster.api.resource.Quantity;
import io.minicluster.json.Json;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metrics.k8s.io/v1beta1 objects as metrics-server writes them: metadata (name, namespace, creationTimestamp set to
 * the time of the request, labels), timestamp, window (a Go duration) and usage: cpu as a quantity of nanocores
 * ({@code "1402838n"}), memory a binary quantity of bytes ({@code "12876Ki"}).
 */
public final class MetricsJson {
  public static final String API_VERSION = "metrics.k8s.io/v1beta1";

  private MetricsJson() {}

  public static ObjectNode node(NodeMetrics node, Instant now) {
    ObjectNode object = header("NodeMetrics", node.name(), null, node.labels(), now);
    times(object, node.timestamp(), node.window());
    usage(object.putObject("usage"), node.usage());
    return object;
  }

  public static ObjectNode pod(PodMetrics pod, Instant now) {
    ObjectNode object = header("PodMetrics", pod.name(), pod.namespace(), pod.labels(), now);
    times(object, pod.timestamp(), pod.window());
    ArrayNode containers = object.putArray("containers");
    for (PodMetrics.ContainerMetrics container : pod.containers()) {
      ObjectNode c = containers.addObject();
      c.put("name", container.name());
      usage(c.putObject("usage"), container.usage());
    }
    return object;
  }

  /** A NodeMetricsList or PodMetricsList of {@code items}. */
  public static ObjectNode list(String kind, List<ObjectNode> items) {
    ObjectNode list = Json.object();
    list.put("kind", kind);
    list.put("apiVersion", API_VERSION);
    list.putObject("metadata");
    ArrayNode array = list.putArray("items");
    items.forEach(array::add);
    return list;
  }

  private static ObjectNode header(String kind, String name, String namespace, Map<String, String> labels,
      Instant now) {
    ObjectNode object = Json.object();
    object.put("kind", kind);
    object.put("apiVersion", API_VERSION);
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    metadata.put("creationTimestamp", Meta.timestamp(now));
    if (!labels.isEmpty()) {
      ObjectNode l = metadata.putObject("labels");
      new TreeMap<>(labels).forEach(l::put);
    }
    return object;
  }

  private static void times(ObjectNode object, Instant timestamp, Duration window) {
    object.put("timestamp", Meta.timestamp(timestamp));
    object.put("window", goDuration(window));
  }

  private static void usage(ObjectNode usage, Usage value) {
    usage.put("cpu", cpu(value.cpuNanoCores()));
    usage.put("memory", memory(value.memoryBytes()));
  }

  /** Nanocores as Go's resource.NewScaledQuantity(n, Nano) prints them: "0", "1402838n", "5m", "2". */
  static String cpu(long nanocores) {
    return Quantity.of(BigDecimal.valueOf(nanocores, 9), Quantity.Format.DECIMAL_SI).toString();
  }

  /** Bytes as Go's resource.NewQuantity(b, BinarySI) prints them: "12876Ki", "5Mi", "1k" (below 1Ki: decimal). */
  static String memory(long bytes) {
    return Quantity.ofBinary(bytes).toString();
  }

  /** As Go's time.Duration.String(): "15s", "10.5s", "1m0.25s", "0s". */
  static String goDuration(Duration duration) {
    long nanos = duration.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    long hours = nanos / 3_600_000_000_000L;
    long minutes = nanos / 60_000_000_000L % 60;
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      text.append(minutes).append('m');
    }
    long secondNanos = nanos % 60_000_000_000L;
    if (hours == 0 && minutes == 0 && secondNanos < 1_000_000_000L) {
      // below a second Go picks the unit: ms, µs or ns
      if (secondNanos >= 1_000_000) {
        return fraction(secondNanos, 1_000_000) + "ms";
      }
      if (secondNanos >= 1000) {
        return fraction(secondNanos, 1000) + "µs";
      }
      return secondNanos + "ns";
    }
    return text.append(fraction(secondNanos, 1_000_000_000L)).append('s').toString();
  }

  private static String fraction(long value, long unit) {
    return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros().toPlainString();
  }
}
