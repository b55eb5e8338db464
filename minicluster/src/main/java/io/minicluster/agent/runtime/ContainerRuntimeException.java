package io.minicluster.agent.runtime;

/** A container engine operation failed; the message carries the engine's own message where there is one. */
public class ContainerRuntimeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ContainerRuntimeException(String message) {
    super(message);
  }

  public ContainerRuntimeException(String message, Throwable cause) {
    super(message, cause);
  }
}
