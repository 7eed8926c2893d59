package dev.spotter.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Readable object dumps for assertion messages. */
public final class Dump {
  private Dump() {}

  public static String status(HasMetadata obj) {
    return obj.getMetadata().getName() + ": " + Serialization.asYaml(obj).replaceAll("(?s).*\\nstatus:", "status:");
  }
}
