package io.minicluster.agent.runtime;

import static io.minicluster.agent.runtime.EngineClient.closeQuietly;
import static io.minicluster.agent.runtime.EngineClient.engineMessage;
import static io.minicluster.agent.runtime.EngineClient.failure;
import static java.util.Objects.requireNonNull;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Image;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images of {@link DockerRuntime}: presence, pulls, the local list, and the sandbox (pause) image, which is
 * pulled or, without a registry, built locally ({@link PauseImageArchive}).
 */
final class DockerImages {
  private static final Logger LOG = LoggerFactory.getLogger(DockerImages.class);

  private final EngineClient engine;
  private final DockerRuntimeConfig config;
  private final DockerClient client;
  private volatile String resolvedSandboxImage;

  DockerImages(EngineClient engine) {
    this.engine = engine;
    this.config = engine.config();
    this.client = engine.client();
  }

  /** See {@link ContainerRuntime#ensureSandboxImage}. */
  synchronized String ensureSandboxImage() {
    String preferred = config.sandboxImage();
    if (imagePresent(preferred)) {
      resolvedSandboxImage = preferred;
      return preferred;
    }
    String local = config.localSandboxImage();
    if (!preferred.equals(local)) {
      try {
        pullImage(preferred, Optional.empty());
        resolvedSandboxImage = preferred;
        return preferred;
      } catch (ImagePullException pullFailure) {
        LOG.warn("cannot pull sandbox image {} ({}); using locally built {}", preferred, pullFailure.engineMessage(),
            local);
      }
    }
    if (!imagePresent(local)) {
      buildLocalSandboxImage(local);
    }
    resolvedSandboxImage = local;
    return local;
  }

  private void buildLocalSandboxImage(String tag) {
    String architecture = engine.info().architecture();
    byte[] archive = PauseImageArchive.build(ImageReference.parse(tag).familiar(),
        PauseExecutable.Architecture.fromEngine(architecture));
    try {
      client.loadImageCmd(new ByteArrayInputStream(archive)).exec();
    } catch (RuntimeException exception) {
      throw failure("loading generated pause image " + tag, exception);
    }
    if (!imagePresent(tag)) {
      throw new ContainerRuntimeException("generated pause image " + tag + " was loaded but is not present");
    }
    LOG.info("built pause image {} locally for {} ({} bytes)", tag, architecture, archive.length);
  }

  /** The sandbox image to run, ensured again if it went missing since. */
  String sandboxImage() {
    String image = resolvedSandboxImage;
    if (image == null || !imagePresent(image)) {
      image = ensureSandboxImage();
    }
    return image;
  }

  boolean imagePresent(String imageReference) {
    return imageId(imageReference).isPresent();
  }

  Optional<String> imageId(String imageReference) {
    String reference = ImageReference.parse(imageReference).familiar();
    try {
      return Optional.ofNullable(client.inspectImageCmd(reference).exec().getId());
    } catch (NotFoundException absent) {
      return Optional.empty();
    } catch (RuntimeException exception) {
      throw failure("inspecting image " + reference, exception);
    }
  }

  void pullImage(String imageReference, Optional<RegistryAuth> auth) {
    requireNonNull(auth, "auth is null");
    ImageReference reference = ImageReference.parse(imageReference);
    String tagOrDigest = reference.digest().isEmpty() ? reference.tag() : reference.digest();
    PullImageCmd command = client.pullImageCmd(reference.familiarRepository()).withTag(tagOrDigest);
    auth.ifPresent(credentials -> command.withAuthConfig(new AuthConfig()
        .withRegistryAddress(credentials.serverAddress())
        .withUsername(credentials.username())
        .withPassword(credentials.password())
        .withIdentityToken(credentials.identityToken().isEmpty() ? null : credentials.identityToken())));
    long started = System.nanoTime();
    PullImageResultCallback callback = new PullImageResultCallback();
    try {
      command.exec(callback);
      if (!callback.awaitCompletion(config.pullTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        callback.close();
        throw new ImagePullException(imageReference, "timed out after " + config.pullTimeout(), null);
      }
    } catch (ImagePullException exception) {
      throw exception;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      closeQuietly(callback);
      throw new ImagePullException(imageReference, "interrupted", interrupted);
    } catch (IOException | RuntimeException exception) {
      throw new ImagePullException(imageReference, engineMessage(exception), exception);
    }
    LOG.info("pulled image {} in {} ms", reference.familiar(), (System.nanoTime() - started) / 1_000_000);
  }

  List<ImageSummary> listImages() {
    try {
      List<ImageSummary> images = new ArrayList<>();
      for (Image image : client.listImagesCmd().exec()) {
        List<String> names = new ArrayList<>();
        if (image.getRepoTags() != null) {
          Arrays.stream(image.getRepoTags()).filter(tag -> !tag.equals("<none>:<none>")).forEach(names::add);
        }
        if (image.getRepoDigests() != null) {
          Arrays.stream(image.getRepoDigests()).filter(digest -> !digest.startsWith("<none>")).forEach(names::add);
        }
        images.add(new ImageSummary(image.getId(), names, image.getSize() == null ? 0 : image.getSize()));
      }
      return images;
    } catch (RuntimeException exception) {
      throw failure("listing images", exception);
    }
  }
}
