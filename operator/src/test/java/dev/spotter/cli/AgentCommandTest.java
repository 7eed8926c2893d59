package dev.spotter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** `spotter agent` from the command line: once-mode output, usage errors, and complete docs. */
@Timeout(20)
class AgentCommandTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void onceInDryRunPrintsTheNoticeAsOneJsonLine() throws Exception {
    HttpServer tencent = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    tencent.createContext(
        "/latest/meta-data/spot/termination-time",
        ex -> {
          byte[] body = "2025-03-01 18:02:00".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    tencent.start();
    try {
      Run r =
          run("agent", "--node", "10.0.3.17", "--cloud", "Tencent", "--once", "--dry-run",
              "--tencent-endpoint", "http://127.0.0.1:" + tencent.getAddress().getPort());
      assertEquals(0, r.exit(), r.err());
      String[] lines = r.out().strip().split("\n");
      assertEquals(1, lines.length, r.out());
      JsonNode n = new ObjectMapper().readTree(lines[0]);
      assertEquals("10.0.3.17", n.get("node").asText());
      assertEquals("SpotInterruption", n.get("kind").asText());
      assertEquals("agent-tencent", n.get("source").asText());
      assertEquals("2025-03-01T10:02:00Z", n.get("deadline").asText());
    } finally {
      tencent.stop(0);
    }
  }

  @Test
  void aDownServiceInOnceModeIsNoNoticeAndNoCrash() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    Run r = run("agent", "--node", "n1", "--cloud", "gcp", "--once", "--dry-run",
        "--gcp-endpoint", "http://127.0.0.1:" + port, "--request-timeout", "300ms");
    assertEquals(0, r.exit());
    assertEquals("", r.out().strip());
  }

  @Test
  void badUsageExitsWithTwo() {
    assertEquals(2, run("agent", "--node", "n1", "--cloud", "mars").exit());
    assertEquals(2, run("agent", "--node", "n1", "--cloud", "aws", "--poll-interval", "soon").exit());
    assertEquals(2, run("agent", "--node", "n1", "--cloud", "aws", "--window", "moon=30s").exit());
    assertEquals(2, run("agent", "--node", "n1", "--cloud", "aws", "--token-ttl", "7h").exit());
    assertEquals(2, run("agent", "--node", " ", "--cloud", "aws").exit());
  }

  @Test
  void durationsReadTheWayPeopleWriteThem() {
    DurationConverter c = new DurationConverter();
    assertEquals(Duration.ofMillis(250), c.convert("250ms"));
    assertEquals(Duration.ofSeconds(5), c.convert("5s"));
    assertEquals(Duration.ofMinutes(2), c.convert("2m"));
    assertEquals(Duration.ofHours(1), c.convert("1h"));
    assertEquals(Duration.ofSeconds(90), c.convert("PT1M30S"));
  }

  @Test
  void helpAndTheDocsDescribeEveryOption() throws Exception {
    Run help = run("agent", "--help");
    assertEquals(0, help.exit());
    String docs = Files.readString(Path.of("..", "docs", "notices.md"));
    CommandLine agent = Main.commandLine().getSubcommands().get("agent");
    for (var option : agent.getCommandSpec().options()) {
      String name = option.longestName();
      assertTrue(help.out().contains(name), name + " missing from --help");
      assertTrue(option.description().length > 0, name + " has no description");
      if (!name.equals("--help") && !name.equals("--version")) {
        assertTrue(docs.contains("`" + name), name + " missing from docs/notices.md");
      }
    }
    for (String field : new String[] {"node", "kind", "source", "deadline", "observedAt", "detail"}) {
      assertTrue(help.out().contains("  " + field + " "), field + " missing from --help");
    }
  }
}
