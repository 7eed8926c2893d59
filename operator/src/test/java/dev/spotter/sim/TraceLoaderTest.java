package dev.spotter.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceLoaderTest {
  private static final int U = Trace.UNLIMITED;

  static String file(String data, String extraMeta, String extraRoot) {
    return "{\"metadata\": {\"gap_seconds\": 600, \"zone\": \"z1\"" + extraMeta
        + ", \"price_info\": {\"price\": 18.0, \"on_demand_price\": 80.0}}, \"data\": [" + data + "]"
        + extraRoot + "}";
  }

  static Trace parse(TraceFormat f, String json) {
    return new TraceLoader(f).parse("t.json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void preemptedConventionMarksOneAsUnavailable() {
    Trace t = parse(TraceFormat.PREEMPTED, file("0,1,1,0", "", ""));
    assertArrayEquals(new int[] {U, 0, 0, U}, t.machines());
    assertEquals(600, t.gapSeconds());
    assertEquals("z1", t.name());
    assertEquals(8, t.gpusPerMachine());
    assertEquals(18.0, t.spotPrice(2));
    assertEquals(80.0, t.onDemandPricePerHour());
  }

  @Test
  void availableConventionMarksOneAsAvailable() {
    Trace t = parse(TraceFormat.AVAILABLE, file("0,1,1,0", "", ""));
    assertArrayEquals(new int[] {0, U, U, 0}, t.machines());
  }

  @Test
  void countFormatKeepsMachineCountsAndMachineSize() {
    Trace t = parse(TraceFormat.COUNT, file("0,2,5", ", \"gpus_per_machine\": 4", ""));
    assertArrayEquals(new int[] {0, 2, 5}, t.machines());
    assertEquals(4, t.gpusPerMachine());
    assertTrue(t.usable(1, 2));
    assertTrue(!t.usable(1, 3));
  }

  @Test
  void perTickPricesWinOverPriceInfo() {
    Trace t = parse(TraceFormat.PREEMPTED, file("0,0,0", "", ", \"prices\": [10.0, 20.0, null]"));
    assertEquals(10.0, t.spotPrice(0));
    assertEquals(20.0, t.spotPrice(1));
    assertEquals(18.0, t.spotPrice(2), "a null entry falls back to price_info.price");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "not json                  | {oops                                                                      | not valid JSON",
    "no metadata               | {\"data\": [0]}                                                              | 'metadata'",
    "no gap                    | {\"metadata\": {\"price_info\": {\"price\": 1, \"on_demand_price\": 2}}, \"data\": [0]} | 'metadata.gap_seconds': missing",
    "negative gap              | {\"metadata\": {\"gap_seconds\": -5, \"price_info\": {\"price\": 1, \"on_demand_price\": 2}}, \"data\": [0]} | 'metadata.gap_seconds'",
    "no on-demand price        | {\"metadata\": {\"gap_seconds\": 60, \"price_info\": {\"price\": 1}}, \"data\": [0]} | 'metadata.price_info.on_demand_price'",
    "no spot price             | {\"metadata\": {\"gap_seconds\": 60, \"price_info\": {\"on_demand_price\": 2}}, \"data\": [0]} | 'metadata.price_info.price'",
    "no data                   | {\"metadata\": {\"gap_seconds\": 60, \"price_info\": {\"price\": 1, \"on_demand_price\": 2}}} | 'data'",
    "empty data                | {\"metadata\": {\"gap_seconds\": 60, \"price_info\": {\"price\": 1, \"on_demand_price\": 2}}, \"data\": []} | 'data': is empty",
    "count in preempted        | {\"metadata\": {\"gap_seconds\": 60, \"price_info\": {\"price\": 1, \"on_demand_price\": 2}}, \"data\": [0, 3]} | 'data[1]': expected 0 or 1",
    "text in data              | {\"metadata\": {\"gap_seconds\": 60, \"price_info\": {\"price\": 1, \"on_demand_price\": 2}}, \"data\": [0, \"x\"]} | 'data[1]'",
    "short prices              | {\"metadata\": {\"gap_seconds\": 60, \"price_info\": {\"price\": 1, \"on_demand_price\": 2}}, \"data\": [0, 0], \"prices\": [1]} | 'prices'",
    "bad start time            | {\"metadata\": {\"gap_seconds\": 60, \"start_time\": \"soon\", \"price_info\": {\"price\": 1, \"on_demand_price\": 2}}, \"data\": [0]} | 'metadata.start_time'",
  })
  void badFilesNameTheFileAndTheField(String label, String json, String expected) {
    TraceFileException e = assertThrows(TraceFileException.class, () -> parse(TraceFormat.PREEMPTED, json));
    assertTrue(e.getMessage().startsWith("t.json: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), label + " -> " + e.getMessage());
  }

  @Test
  void negativeCountIsRejected() {
    TraceFileException e = assertThrows(TraceFileException.class, () -> parse(TraceFormat.COUNT, file("1,-2", "", "")));
    assertTrue(e.getMessage().contains("'data[1]'"), e.getMessage());
  }

  @Test
  void loadsADirectorySortedByNameAndSingleFiles(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("b.json"), file("0,1", "", "").replace("\"zone\": \"z1\"", "\"zone\": \"b\""));
    Files.writeString(dir.resolve("a.json"), file("1,0", "", "").replace("\"zone\": \"z1\"", "\"zone\": \"a\""));
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    TraceSet set = new TraceLoader(TraceFormat.PREEMPTED).load(List.of(dir.toString()));
    assertEquals(List.of("a", "b"), set.traces().stream().map(Trace::name).toList());
    TraceSet one = new TraceLoader(TraceFormat.PREEMPTED).load(List.of(dir.resolve("b.json").toString()));
    assertEquals(1, one.size());
  }

  @Test
  void unknownSourceSaysWhatWasTried() {
    TraceFileException e = assertThrows(
        TraceFileException.class, () -> new TraceLoader(TraceFormat.PREEMPTED).load(List.of("no-such-place")));
    assertTrue(e.getMessage().contains("no-such-place") && e.getMessage().contains("gcp-h100-2025"), e.getMessage());
  }

  @Test
  void bundledH100SetHasThirteenZonesWithTheirPrices() {
    TraceSet set = new TraceLoader(TraceFormat.PREEMPTED).load(List.of("gcp-h100-2025"));
    assertEquals(13, set.size());
    Trace central = set.traces().stream().filter(t -> t.name().equals("us-central1-a")).findFirst().orElseThrow();
    assertEquals(2114, central.ticks());
    assertEquals(600, central.gapSeconds());
    assertEquals(18.98, central.spotPrice(0), 0.01);
    assertEquals(82.53, central.onDemandPricePerHour(), 0.01);
    assertEquals(0.958, central.availability(), 0.001);
    assertEquals(82.53, set.onDemandPricePerMachineHour(), 0.01);
  }
}
