package io.minicluster.registry.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.ResourceType;
import io.minicluster.registry.Admission;
import io.minicluster.registry.AdmissionRequest;
import io.minicluster.registry.WriteOptions;
import java.util.List;

/** Runs several admission plugins in order. */
public final class Admissions implements Admission {
  private final List<Admission> plugins;

  public Admissions(List<Admission> plugins) {
    this.plugins = List.copyOf(plugins);
  }

  @Override
  public void admitCreate(ResourceType type, ObjectNode object, WriteOptions options) {
    plugins.forEach(p -> p.admitCreate(type, object, options));
  }

  @Override
  public void admitUpdate(ResourceType type, ObjectNode object, ObjectNode old, WriteOptions options) {
    plugins.forEach(p -> p.admitUpdate(type, object, old, options));
  }

  @Override
  public void writeFinished(ResourceType type, ObjectNode object) {
    plugins.forEach(p -> p.writeFinished(type, object));
  }

  @Override
  public void admitDelete(ResourceType type, ObjectNode object) {
    plugins.forEach(p -> p.admitDelete(type, object));
  }

  @Override
  public void deleted(ResourceType type, ObjectNode object) {
    plugins.forEach(p -> p.deleted(type, object));
  }

  @Override
  public void mutate(AdmissionRequest request) {
    plugins.forEach(p -> p.mutate(request));
  }

  @Override
  public void validate(AdmissionRequest request) {
    plugins.forEach(p -> p.validate(request));
  }

  @Override
  public void connect(AdmissionRequest request) {
    plugins.forEach(p -> p.connect(request));
  }
}
