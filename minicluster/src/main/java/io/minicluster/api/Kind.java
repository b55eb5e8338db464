package io.minicluster.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;

/**
 * How consumers read one resource type: the type, and the decoder from the API's JSON tree to the consumer's read
 * model. Informers decode each object version once per kind and hand the same decoded value to every consumer of
 * that kind, so a kind is a constant (two kinds are the same when type and decoder are equal).
 *
 * @param type the resource type listed and watched
 * @param decoder turns a tree into the read model; never throws on missing fields, never keeps the tree
 * @param <T> the read model
 */
public record Kind<T>(ResourceType type, Function<ObjectNode, T> decoder) {
  /**
   * The tree "decoder": a private deep copy of each object version, so that the watch events (shared with other
   * watchers and the other kinds' decoders) stay untouched whatever a tree consumer does to its copy. The copy is
   * made once per version and shared by every tree consumer of the type, which must therefore still not modify it.
   */
  private static final Function<ObjectNode, ObjectNode> TREE = ObjectNode::deepCopy;

  public Kind {
    requireNonNull(type, "type is null");
    requireNonNull(decoder, "decoder is null");
  }

  /** The raw JSON tree of the type (for consumers not yet on typed read models). */
  public static Kind<ObjectNode> tree(ResourceType type) {
    return new Kind<>(type, TREE);
  }

  /** Decodes one object. */
  public T decode(ObjectNode object) {
    return decoder.apply(object);
  }
}
