package dev.spotter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.bench.ChaosBenchmark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** `spotter bench chaos` on the command line: complete help and bad options refused before anything starts. */
@Timeout(20)
class BenchChaosCommandTest {
  static String[] run(String... args) {
    var cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new String[] {Integer.toString(exit), out.toString(), err.toString()};
  }

  @Test
  void helpDocumentsEveryScenarioOptionAndJsonField() {
    String[] r = run("bench", "chaos", "--help");
    assertThat(r[0]).isEqualTo("0");
    for (String option : new String[] {"--scenario", "--jobs", "--timeout", "--json"}) {
      assertThat(r[1]).as(option).contains(option);
    }
    for (String scenario : ChaosBenchmark.Scenario.ids()) {
      assertThat(r[1]).as("scenario " + scenario).contains(scenario);
    }
    for (Class<?> type : new Class<?>[] {ChaosBenchmark.Result.class, ChaosBenchmark.ScenarioResult.class}) {
      for (RecordComponent c : type.getRecordComponents()) {
        assertThat(r[1]).as("JSON field " + c.getName()).containsPattern("\\b" + c.getName() + "\\b");
      }
    }
    assertThat(run("bench", "--help")[1]).contains("chaos");
  }

  @Test
  void badValuesAreRefusedWithAMessage() {
    for (String[] args : Arrays.asList(
        new String[] {"bench", "chaos", "--scenario", "meteor-strike"},
        new String[] {"bench", "chaos", "--jobs", "0"},
        new String[] {"bench", "chaos", "--timeout", "1"})) {
      String[] r = run(args);
      assertThat(r[0]).as(String.join(" ", args)).isEqualTo("2");
      assertThat(r[2]).as(String.join(" ", args)).contains(args[2]);
    }
  }
}
