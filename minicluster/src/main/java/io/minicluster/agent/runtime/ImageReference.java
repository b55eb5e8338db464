package io.minicluster.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed image reference following the Docker distribution rules: {@code mongo}, {@code mongo:latest} and
 * {@code docker.io/library/mongo:latest} are the same image.
 *
 * @param domain registry host, "docker.io" for Docker Hub
 * @param path repository path inside the registry, "library/mongo" for official Hub images
 * @param tag tag, "latest" when neither tag nor digest was given, empty when only a digest was given
 * @param digest "sha256:..." or empty
 */
public record ImageReference(String domain, String path, String tag, String digest) {
  private static final String DEFAULT_DOMAIN = "docker.io";
  private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}");

  public ImageReference {
    requireNonNull(domain, "domain is null");
    requireNonNull(path, "path is null");
    requireNonNull(tag, "tag is null");
    requireNonNull(digest, "digest is null");
  }

  /**
   * Parses {@code reference}.
   *
   * @throws IllegalArgumentException when the reference is not a valid image reference
   */
  public static ImageReference parse(String reference) {
    requireNonNull(reference, "reference is null");
    if (reference.isEmpty() || !reference.strip().equals(reference)) {
      throw new IllegalArgumentException("invalid image reference \"" + reference + "\"");
    }
    String remainder = reference;
    String digest = "";
    int at = remainder.indexOf('@');
    if (at >= 0) {
      digest = remainder.substring(at + 1);
      remainder = remainder.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw new IllegalArgumentException("invalid digest in image reference \"" + reference + "\"");
      }
    }
    String tag = "";
    int lastSlash = remainder.lastIndexOf('/');
    int colon = remainder.lastIndexOf(':');
    if (colon > lastSlash) {
      tag = remainder.substring(colon + 1);
      remainder = remainder.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("invalid tag in image reference \"" + reference + "\"");
      }
    }
    String domain = DEFAULT_DOMAIN;
    String path = remainder;
    int firstSlash = remainder.indexOf('/');
    if (firstSlash >= 0) {
      String first = remainder.substring(0, firstSlash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")
          || !first.equals(first.toLowerCase(Locale.ROOT))) {
        domain = first;
        path = remainder.substring(firstSlash + 1);
      }
    }
    if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
      domain = DEFAULT_DOMAIN;
    }
    if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
      path = "library/" + path;
    }
    for (String component : path.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        throw new IllegalArgumentException("invalid repository name in image reference \"" + reference + "\"");
      }
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = "latest";
    }
    return new ImageReference(domain, path, tag, digest);
  }

  /** The fully qualified repository: {@code docker.io/library/mongo}. */
  public String repository() {
    return domain + "/" + path;
  }

  /** The repository as Docker names it locally: {@code mongo}, {@code user/app}, {@code host:5000/app}. */
  public String familiarRepository() {
    if (domain.equals(DEFAULT_DOMAIN)) {
      return path.startsWith("library/") ? path.substring("library/".length()) : path;
    }
    return repository();
  }

  /** {@code docker.io/library/mongo:latest} (tag and/or digest included). */
  public String normalized() {
    return withSuffix(repository());
  }

  /** {@code mongo:latest}: the shortest form, the one Docker stores as a RepoTag. */
  public String familiar() {
    return withSuffix(familiarRepository());
  }

  private String withSuffix(String repository) {
    StringBuilder builder = new StringBuilder(repository);
    if (!tag.isEmpty()) {
      builder.append(':').append(tag);
    }
    if (!digest.isEmpty()) {
      builder.append('@').append(digest);
    }
    return builder.toString();
  }

  /** Whether two references name the same image after normalization. */
  public static boolean sameImage(String first, String second) {
    return parse(first).equals(parse(second));
  }

  @Override
  public String toString() {
    return normalized();
  }
}
