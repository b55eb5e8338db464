package io.minicluster.backup;

/** A backup could not be written, or an archive is not a sound minicluster backup; the message says why. */
public final class BackupException extends Exception {
  private static final long serialVersionUID = 1L;

  public BackupException(String message) {
    super(message);
  }

  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
