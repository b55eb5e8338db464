package io.minicluster.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.agent.runtime.ContainerRuntime;
import io.minicluster.agent.runtime.ContainerRuntimeException;
import io.minicluster.agent.runtime.ImagePullException;
import io.minicluster.agent.runtime.ImageReference;
import io.minicluster.agent.runtime.RegistryAuth;
import io.minicluster.api.ResourceTypes;
import io.minicluster.api.core.Container;
import io.minicluster.api.core.LocalObjectReference;
import io.minicluster.api.core.Pod;
import io.minicluster.api.core.Secret;
import io.minicluster.client.Client;
import io.minicluster.client.EventRecorder;
import io.minicluster.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a container's image available per its {@code imagePullPolicy}, with pull secrets, Pulling/Pulled events and
 * pull back-off. This node is an appliance that may be offline: when a pull fails but the image is present locally,
 * the local image is used (with a Warning event) instead of failing the container.
 */
public final class ImageManager {
  private final boolean offline;
  private static final Logger LOG = LoggerFactory.getLogger(ImageManager.class);

  private final ContainerRuntime runtime;
  private final Client client;
  private final EventRecorder recorder;
  private final Clock clock;
  private final BackOff backOff;
  private final Map<String, Instant> lastFailure = new ConcurrentHashMap<>();

  /** The image could not be had: the container waits with this reason and message. */
  public static final class ImageException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;

    public ImageException(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  public ImageManager(ContainerRuntime runtime, Client client, EventRecorder recorder, Clock clock) {
    this(runtime, client, recorder, clock, false);
  }

  /** @param offline never pull: use images present on the machine whatever the pull policy */
  public ImageManager(ContainerRuntime runtime, Client client, EventRecorder recorder, Clock clock,
      boolean offline) {
    this.offline = offline;
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.client = requireNonNull(client, "client is null");
    this.recorder = requireNonNull(recorder, "recorder is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.backOff = new BackOff(clock, Duration.ofSeconds(10), Duration.ofSeconds(300));
  }

  /** Ensures the image of {@code container} is present; records the kubelet's events. */
  public void ensure(Pod pod, Container container, String fieldPath) throws ImageException {
    ensure(pod, PodSpecs.eventTarget(pod), container, fieldPath);
  }

  private void ensure(Pod typedPod, ObjectNode pod, Container container, String fieldPath) throws ImageException {
    String image = container.image();
    if (image.isEmpty()) {
      throw new ImageException("InvalidImageName", "Failed to apply default image tag \"\": couldn't parse image name "
          + "\"\": invalid reference format");
    }
    try {
      ImageReference.parse(image);
    } catch (IllegalArgumentException invalid) {
      recorder.record(pod, fieldPath, "Warning", "InspectFailed", "Failed to apply default image tag \"" + image
          + "\": couldn't parse image name \"" + image + "\": invalid reference format");
      throw new ImageException("InvalidImageName", "Failed to apply default image tag \"" + image
          + "\": couldn't parse image name \"" + image + "\": invalid reference format");
    }
    String policy = PodSpecs.pullPolicy(container);
    boolean present = runtime.imagePresent(image);
    if (policy.equals("Never")) {
      if (present) {
        recorder.record(pod, fieldPath, "Normal", "Pulled", "Container image \"" + image
            + "\" already present on machine");
        return;
      }
      String message = "Container image \"" + image + "\" is not present with pull policy of Never";
      recorder.record(pod, fieldPath, "Warning", "ErrImageNeverPull", message);
      throw new ImageException("ErrImageNeverPull", message);
    }
    if ((policy.equals("IfNotPresent") || offline) && present) {
      recorder.record(pod, fieldPath, "Normal", "Pulled", "Container image \"" + image
          + "\" already present on machine");
      return;
    }
    if (offline) {
      String message = "Failed to pull image \"" + image + "\": pulls are disabled (offline mode) and the image is "
          + "not present on the machine";
      recorder.record(pod, fieldPath, "Warning", "Failed", message);
      throw new ImageException("ErrImagePull", message);
    }
    String key = typedPod.metadata().uid() + "/" + image;
    Instant failed = lastFailure.get(key);
    if (!present && failed != null && backOff.inBackOffSince(key, failed)) {
      String message = "Back-off pulling image \"" + image + "\"";
      recorder.record(pod, fieldPath, "Normal", "BackOff", message);
      throw new ImageException("ImagePullBackOff", message);
    }
    recorder.record(pod, fieldPath, "Normal", "Pulling", "Pulling image \"" + image + "\"");
    long started = System.nanoTime();
    try {
      runtime.pullImage(image, auth(typedPod, image));
      double seconds = (System.nanoTime() - started) / 1e9;
      recorder.record(pod, fieldPath, "Normal", "Pulled", String.format(Locale.ROOT,
          "Successfully pulled image \"%s\" in %.3fs (%.3fs including waiting)", image, seconds, seconds));
      backOff.reset(key);
      lastFailure.remove(key);
    } catch (ImagePullException | IllegalArgumentException e) {
      String reason = e instanceof ImagePullException pull ? pull.engineMessage() : e.getMessage();
      if (present) {
        LOG.debug("pull of {} failed ({}); using the local image", image, reason);
        recorder.record(pod, fieldPath, "Warning", "Failed", "Failed to pull image \"" + image + "\": " + reason
            + "; using the image present on the machine");
        return;
      }
      String message = "Failed to pull image \"" + image + "\": " + reason;
      recorder.record(pod, fieldPath, "Warning", "Failed", message);
      recorder.record(pod, fieldPath, "Warning", "Failed", "Error: ErrImagePull");
      backOff.next(key);
      lastFailure.put(key, clock.instant());
      throw new ImageException("ErrImagePull", message);
    } catch (ContainerRuntimeException e) {
      throw new ImageException("ErrImagePull", "Failed to pull image \"" + image + "\": " + e.getMessage());
    }
  }

  /** Forgets a pod's pull back-off. */
  public void forget(String podUid) {
    lastFailure.keySet().removeIf(key -> key.startsWith(podUid + "/"));
    backOff.forgetPrefix(podUid + "/");
  }

  /** Credentials for the image's registry from the pod's {@code imagePullSecrets}, if any matches. */
  Optional<RegistryAuth> auth(Pod pod, String image) {
    String domain = ImageReference.parse(image).domain();
    for (LocalObjectReference reference : pod.spec().imagePullSecrets()) {
      Optional<Secret> secret = client.find(ResourceTypes.SECRETS, pod.metadata().namespace(), reference.name())
          .map(Secret::from);
      if (secret.isEmpty()) {
        continue;
      }
      Optional<RegistryAuth> auth = fromSecret(secret.get(), domain);
      if (auth.isPresent()) {
        return auth;
      }
    }
    return Optional.empty();
  }

  /** Reads a kubernetes.io/dockerconfigjson (or legacy dockercfg) secret and picks the entry for {@code domain}. */
  static Optional<RegistryAuth> fromSecret(Secret secret, String domain) {
    Map<String, byte[]> data = EnvironmentResolver.secretData(secret);
    JsonNode auths;
    if (data.containsKey(".dockerconfigjson")) {
      auths = Json.parseObject(data.get(".dockerconfigjson")).get("auths");
    } else if (data.containsKey(".dockercfg")) {
      auths = Json.parseObject(data.get(".dockercfg"));
    } else {
      return Optional.empty();
    }
    if (auths == null || !auths.isObject()) {
      return Optional.empty();
    }
    var fields = auths.fields();
    while (fields.hasNext()) {
      var entry = fields.next();
      if (!registryMatches(entry.getKey(), domain)) {
        continue;
      }
      JsonNode value = entry.getValue();
      String username = value.path("username").asText("");
      String password = value.path("password").asText("");
      String encoded = value.path("auth").asText("");
      if (username.isEmpty() && !encoded.isEmpty()) {
        String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon >= 0) {
          username = decoded.substring(0, colon);
          password = decoded.substring(colon + 1);
        }
      }
      return Optional.of(new RegistryAuth(entry.getKey(), username, password,
          value.path("identitytoken").asText("")));
    }
    return Optional.empty();
  }

  static boolean registryMatches(String key, String domain) {
    String host = key.replaceFirst("^https?://", "");
    int slash = host.indexOf('/');
    if (slash >= 0) {
      host = host.substring(0, slash);
    }
    if (domain.equals("docker.io")) {
      return host.equals("docker.io") || host.equals("index.docker.io") || host.equals("registry-1.docker.io");
    }
    return host.equals(domain);
  }
}
