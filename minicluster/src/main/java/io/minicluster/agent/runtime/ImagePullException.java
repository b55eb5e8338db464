package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

/**
 * Pulling an image failed (no registry reachable, unknown repository, denied). {@link #engineMessage()} is the engine's
 * message, suitable for a pod's {@code ErrImagePull} status message.
 */
public final class ImagePullException extends ContainerRuntimeException {
  private static final long serialVersionUID = 1L;
  private final String image;
  private final String engineMessage;

  public ImagePullException(String image, String engineMessage, Throwable cause) {
    super("failed to pull image \"" + requireNonNull(image, "image is null") + "\": " + engineMessage, cause);
    this.image = image;
    this.engineMessage = requireNonNull(engineMessage, "engineMessage is null");
  }

  public String image() {
    return image;
  }

  public String engineMessage() {
    return engineMessage;
  }
}
