package dev.spotter.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest. */
public class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"spotter " + (v == null ? "dev" : v)};
  }
}
