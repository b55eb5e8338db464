package io.minicluster.apiextensions.schema;

/** Field paths as k8s.io/apimachinery's field.Path prints them: {@code a.b}, {@code a[0]}, {@code a[key]}. */
final class Paths {
  /** How field.Path prints a nil path (the apiserver's errors about the whole object). */
  static final String NIL = "<nil>";

  private Paths() {}

  static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static String key(String path, String key) {
    return path + "[" + key + "]";
  }

  static String index(String path, int index) {
    return path + "[" + index + "]";
  }

  static String orNil(String path) {
    return path.isEmpty() ? NIL : path;
  }
}
