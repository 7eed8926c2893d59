package dev.spotter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.demo.DemoSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** `spotter demo` on the command line: complete help and bad options refused before anything starts. */
@Timeout(20)
class DemoCommandTest {
  private static String[] run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new String[] {Integer.toString(exit), out.toString(), err.toString()};
  }

  @Test
  void helpDocumentsEveryOptionAndEveryJsonField() {
    String[] r = run("demo", "--help");
    assertThat(r[0]).isEqualTo("0");
    for (String option : new String[] {"--trace", "--speed", "--duration", "--seed", "--jobs", "--json", "--metrics-port",
        "--no-tty", "--manifests", "--stop-when-done"}) {
      assertThat(r[1]).as(option).contains(option);
    }
    for (RecordComponent c : DemoSummary.class.getRecordComponents()) {
      assertThat(r[1]).as("JSON field " + c.getName()).containsPattern("\\b" + c.getName() + "\\b");
    }
  }

  @Test
  void theDemoIsASubcommandOfSpotter() {
    assertThat(run("--help")[1]).contains("demo");
  }

  @Test
  void badValuesAreRefusedWithAMessage() {
    for (String[] args : Arrays.asList(
        new String[] {"demo", "--speed", "0"},
        new String[] {"demo", "--jobs", "-1"},
        new String[] {"demo", "--metrics-port", "70000"},
        new String[] {"demo", "--duration", "soon"})) {
      String[] r = run(args);
      assertThat(r[0]).as(String.join(" ", args)).isEqualTo("2");
      assertThat(r[2]).as(String.join(" ", args)).contains(args[1]);
    }
  }
}
