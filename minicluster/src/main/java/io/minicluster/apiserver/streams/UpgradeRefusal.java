package io.minicluster.apiserver.streams;

/**
 * A refusal answered with a plain-text body, as the kubelet answers (the client then prints
 * {@code unable to upgrade connection: <text>}).
 */
final class UpgradeRefusal extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  UpgradeRefusal(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
