package dev.spotter.e2e;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Gives E2E classes the one {@link E2eEnvironment} of the run (started by the first class that
 * asks, closed when the run ends: the root store closes what it holds) and prints the cluster's
 * state when a test fails. Put it after {@code @Testcontainers(disabledWithoutDocker = true)},
 * which disables the class before anything here starts a container.
 */
final class E2eExtension implements ParameterResolver, TestWatcher {
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(E2eExtension.class);
  private static volatile RuntimeException startFailure;

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == E2eEnvironment.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return environment(context);
  }

  static E2eEnvironment environment(ExtensionContext context) {
    if (startFailure != null) {
      throw new IllegalStateException("the e2e environment failed to start for an earlier class", startFailure);
    }
    try {
      return context.getRoot().getStore(STORE)
          .getOrComputeIfAbsent(E2eEnvironment.class, k -> E2eEnvironment.start(E2eSettings.fromSystemProperties()), E2eEnvironment.class);
    } catch (RuntimeException e) {
      startFailure = e;
      throw e;
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    E2eEnvironment env = context.getRoot().getStore(STORE).get(E2eEnvironment.class, E2eEnvironment.class);
    if (env != null) {
      System.out.println("----- " + context.getDisplayName() + " failed: " + cause);
      System.out.println(env.diagnostics());
    }
  }
}
