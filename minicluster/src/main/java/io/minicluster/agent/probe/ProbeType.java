package io.minicluster.agent.probe;

import io.minicluster.api.core.Container;
import io.minicluster.api.core.Probe;

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

  /** This kind's probe of {@code container}, null when it has none. */
  public Probe of(Container container) {
    return switch (this) {
      case LIVENESS -> container.livenessProbe();
      case READINESS -> container.readinessProbe();
      case STARTUP -> container.startupProbe();
    };
  }
}
