package io.minicluster.agent.probe;

/** The three probe kinds, with the field name in the container spec and the word the kubelet uses in events. */
public enum ProbeType {
  LIVENESS("livenessProbe", "Liveness"),
  READINESS("readinessProbe", "Readiness"),
  STARTUP("startupProbe", "Startup");

  private final String field;
  private final String label;

  ProbeType(String field, String label) {
    this.field = field;
    this.label = label;
  }

  public String field() {
    return field;
  }

  public String label() {
    return label;
  }
}
