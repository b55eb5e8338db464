package io.minicluster.apiextensions;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' version priority (apimachinery's CompareKubeAwareVersionStrings): GA before beta before alpha, higher
 * major and minor first within each, and versions not of the v&lt;major&gt;[(alpha|beta)&lt;minor&gt;] form last,
 * in lexical order.
 */
public final class VersionPriority {
  private static final Pattern KUBE_VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

  /** Sorts the highest priority first. */
  public static final Comparator<String> COMPARATOR = VersionPriority::compare;

  private VersionPriority() {}

  private static int compare(String a, String b) {
    Matcher ma = KUBE_VERSION.matcher(a);
    Matcher mb = KUBE_VERSION.matcher(b);
    boolean ka = ma.matches();
    boolean kb = mb.matches();
    if (!ka || !kb) {
      return ka ? -1 : kb ? 1 : a.compareTo(b);
    }
    int stability = Integer.compare(rank(ma.group(2)), rank(mb.group(2)));
    if (stability != 0) {
      return stability;
    }
    int major = Long.compare(Long.parseLong(mb.group(1)), Long.parseLong(ma.group(1)));
    if (major != 0 || ma.group(3) == null) {
      return major;
    }
    return Long.compare(Long.parseLong(mb.group(3)), Long.parseLong(ma.group(3)));
  }

  private static int rank(String stability) {
    return stability == null ? 0 : stability.equals("beta") ? 1 : 2;
  }
}
