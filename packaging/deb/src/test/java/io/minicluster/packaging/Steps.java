package io.minicluster.packaging;

import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Ordered test steps that build on each other: once one fails, every later one fails at once, naming it, instead of
 * waiting out its own timeouts on a system that is not in the state it expects.
 */
final class Steps implements BeforeTestExecutionCallback, TestWatcher {
  private volatile String firstFailure;

  @Override
  public void beforeTestExecution(ExtensionContext context) {
    if (firstFailure != null) {
      throw new AssertionError("not run: it needs the step " + firstFailure + ", which failed");
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    if (firstFailure == null) {
      firstFailure = context.getDisplayName();
    }
  }
}
