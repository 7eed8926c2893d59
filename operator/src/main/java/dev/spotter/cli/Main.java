package dev.spotter.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `spotter` command line: one jar, one subcommand per job. */
@Command(
    name = "spotter",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Runs GPU training and inference jobs on a mix of spot and on-demand capacity.",
    subcommands = {OperatorCommand.class, AgentCommand.class, DemoCommand.class, BenchCommand.class, WorkloadCommand.class,
      CommandLine.HelpCommand.class})
public class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command tree, shared by main() and the tests. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpWidth(120);
    cl.getSubcommands().get("operator").getCommandSpec().usageMessage().footer(OperatorCommand.configHelp());
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
