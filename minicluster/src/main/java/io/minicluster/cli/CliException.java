package io.minicluster.cli;

import static java.util.Objects.requireNonNull;

/** A command failed for a reason the operator can act on: one line saying the cause and the fix, and an exit code. */
public final class CliException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public CliException(String message, int exitCode) {
    super(requireNonNull(message, "message is null"));
    this.exitCode = exitCode;
  }

  public CliException(String message) {
    this(message, 1);
  }

  public int exitCode() {
    return exitCode;
  }
}
