package io.minicluster.socks;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The one username/password pair a gateway accepts (RFC 1929: each 1..255 bytes of UTF-8). */
public record Credentials(String username, String password) {

  public Credentials {
    requireNonNull(username, "username is null");
    requireNonNull(password, "password is null");
    checkLength("username", username);
    checkLength("password", password);
  }

  /** Parses {@code user:password} (the password may contain ':'). */
  public static Credentials parse(String text) {
    requireNonNull(text, "text is null");
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("credentials must look like user:password");
    }
    return new Credentials(text.substring(0, colon), text.substring(colon + 1));
  }

  /** Constant-time comparison against the bytes a client sent. */
  public boolean matches(byte[] offeredUsername, byte[] offeredPassword) {
    boolean userMatches = MessageDigest.isEqual(username.getBytes(StandardCharsets.UTF_8), offeredUsername);
    boolean passwordMatches = MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), offeredPassword);
    return userMatches & passwordMatches;
  }

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", password=***]";
  }

  private static void checkLength(String what, String value) {
    int length = value.getBytes(StandardCharsets.UTF_8).length;
    if (length < 1 || length > 255) {
      throw new IllegalArgumentException(what + " must be 1..255 bytes of UTF-8, got " + length);
    }
  }
}
