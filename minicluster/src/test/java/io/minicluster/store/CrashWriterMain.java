package io.minicluster.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child process for {@link SqliteStoreCrashIT}: creates keys from several threads until killed and prints
 * {@code ACK <key> <revision>} for each create that returned (was acknowledged as durable).
 */
public final class CrashWriterMain {
  private CrashWriterMain() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    String prefix = args[1];
    int threads = Integer.parseInt(args[2]);
    int maxPerThread = Integer.parseInt(args[3]);
    SqliteStore store = SqliteStore.open(dataDir, SqliteStore.Options.defaults());
    System.out.println("READY " + store.revision());
    System.out.flush();
    AtomicInteger done = new AtomicInteger();
    for (int thread = 0; thread < threads; thread++) {
      int id = thread;
      Thread writer =
          new Thread(
              () -> {
                for (int index = 0; index < maxPerThread; index++) {
                  String key = prefix + id + "/" + index;
                  Store.Entry entry = store.create(key, ("value " + index).getBytes(StandardCharsets.UTF_8));
                  synchronized (System.out) {
                    System.out.println("ACK " + key + " " + entry.revision());
                    System.out.flush();
                  }
                }
                done.incrementAndGet();
              });
      writer.start();
    }
    // Bounded: the parent normally kills this process long before the writers finish.
    while (done.get() < threads) {
      Thread.sleep(10);
    }
    System.out.println("FINISHED");
    System.out.flush();
  }
}
