package io.minicluster.testing;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minicluster.api.FieldError;
import io.minicluster.api.ResourceType;
import io.minicluster.apiserver.schema.FieldValidation;
import io.minicluster.client.Client;
import io.minicluster.client.LocalClient;
import io.minicluster.apiserver.fieldmanager.ClientFieldTrackers;
import io.minicluster.registry.Admission;
import io.minicluster.registry.DefaultStrategy;
import io.minicluster.registry.GenericRegistry;
import io.minicluster.registry.Registries;
import io.minicluster.registry.admission.Admissions;
import io.minicluster.registry.subresource.Subresources;
import io.minicluster.registry.validation.MetadataValidation;
import io.minicluster.server.Conversions;
import io.minicluster.server.Strategies;
import io.minicluster.store.SqliteStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A real API path for tests: a SqliteStore in the given directory, the registries as the daemon builds them
 * (strategies, type checks and metadata validation; the given admission plugins, none by default) and an in-process client acting
 * as user "test". Closing it closes the store. {@link #openUnvalidated} is the looser variant agent tests use.
 */
public final class InProcessApi implements AutoCloseable {
  private final SqliteStore store;
  private final Registries registries;
  private final Subresources subresources;
  private final Client client;

  private InProcessApi(SqliteStore store, Registries registries, Clock clock) {
    this.store = store;
    this.registries = registries;
    this.subresources = new Subresources(registries, clock);
    this.client = new LocalClient(registries, subresources, new ClientFieldTrackers(clock), "test");
  }

  public static InProcessApi open(Path directory, Clock clock) {
    return open(directory, clock, List.of());
  }

  public static InProcessApi open(Path directory, Clock clock, List<Admission> admissions) {
    requireNonNull(directory, "directory is null");
    requireNonNull(clock, "clock is null");
    requireNonNull(admissions, "admissions is null");
    SqliteStore store = SqliteStore.open(directory, SqliteStore.Options.defaults());
    Registries registries = new Registries(store, clock, Strategies::forType, new Admissions(admissions),
        MetadataValidation.validator(Strategies::forType),
        (type, object) -> FieldValidation.checkTypes(type.apiVersion(), type.kind(), object),
        Conversions.ALL);
    return new InProcessApi(store, registries, clock);
  }

  /**
   * Registries with {@link DefaultStrategy} for every type, no metadata validation and no admission: for tests of
   * components (the node agent) that only need objects stored and watched, not the API's checks.
   */
  public static InProcessApi openUnvalidated(Path directory, Clock clock) {
    requireNonNull(directory, "directory is null");
    requireNonNull(clock, "clock is null");
    SqliteStore store = SqliteStore.open(directory, SqliteStore.Options.defaults());
    Registries registries = new Registries(store, clock, DefaultStrategy::new, new Admissions(List.of()),
        new GenericRegistry.MetadataValidator() {
          @Override
          public List<FieldError> validate(ResourceType type, ObjectNode object) {
            return List.of();
          }

          @Override
          public List<FieldError> validateUpdate(ResourceType type, ObjectNode object, ObjectNode old) {
            return List.of();
          }
        }, GenericRegistry.TypeCheck.NONE, Conversions.ALL);
    return new InProcessApi(store, registries, clock);
  }

  public Client client() {
    return client;
  }

  /** The registries behind the client, for tests of the registry itself. */
  public Registries registries() {
    return registries;
  }

  /** The subresource operations behind the client. */
  public Subresources subresources() {
    return subresources;
  }

  @Override
  public void close() {
    store.close();
  }
}
