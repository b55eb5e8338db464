package io.minicluster.agent.volume;

/** A volume could not be set up; reported as a FailedMount event and keeps the pod in ContainerCreating. */
public final class VolumeException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String volume;
  private final boolean unprocessed;

  public VolumeException(String volume, String message) {
    this(volume, message, false);
  }

  private VolumeException(String volume, String message, boolean unprocessed) {
    super(message);
    this.volume = volume;
    this.unprocessed = unprocessed;
  }

  /**
   * A volume the kubelet's volume manager cannot even process yet (a claim that is missing or not bound): the pod
   * waits for it.
   */
  static VolumeException unprocessed(String volume, String message) {
    return new VolumeException(volume, message, true);
  }

  public String volume() {
    return volume;
  }

  /**
   * The kubelet's event message: {@code MountVolume.SetUp failed for volume "x" : ...}, or for a volume it cannot
   * process yet {@code Unable to attach or mount volumes: unmounted volumes=[x], ...}.
   */
  public String eventMessage() {
    if (unprocessed) {
      return "Unable to attach or mount volumes: unmounted volumes=[" + volume + "], unattached volumes=[" + volume
          + "], failed to process volumes=[" + volume + "]: " + getMessage();
    }
    return "MountVolume.SetUp failed for volume \"" + volume + "\" : " + getMessage();
  }
}
