package io.minicluster.agent.volume;

/** A volume could not be set up; reported as a FailedMount event and keeps the pod in ContainerCreating. */
public final class VolumeException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String volume;

  public VolumeException(String volume, String message) {
    super(message);
    this.volume = volume;
  }

  public String volume() {
    return volume;
  }

  /** The kubelet's event message: {@code MountVolume.SetUp failed for volume "x" : ...}. */
  public String eventMessage() {
    return "MountVolume.SetUp failed for volume \"" + volume + "\" : " + getMessage();
  }
}
