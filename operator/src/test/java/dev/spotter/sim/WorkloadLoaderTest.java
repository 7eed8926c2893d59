package dev.spotter.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadLoaderTest {
  @Test
  void readsTheYamlOfTheDocs() {
    List<SimJob> jobs = WorkloadLoader.parse("w.yaml", """
        jobs:
          - name: finetune-a
            gpus: 8                         # the whole gang
            computeHours: 48
            deadlineHours: 70
            arrivalHours: 0
            checkpointIntervalMinutes: 30
            restartOverheadMinutes: 12
            noticeCheckpointSeconds: 20
          - name: sweep
            gpus: 16
            computeHours: 2.5
            count: 3
        """);
    assertEquals(4, jobs.size());
    assertEquals(new SimJob("finetune-a", 8, 48, 70.0, 0, 30.0, 12, 20.0), jobs.get(0));
    assertEquals("sweep-3", jobs.get(3).name());
    assertNull(jobs.get(1).deadlineHours());
    assertNull(jobs.get(1).checkpointIntervalMinutes());
  }

  @Test
  void readsJsonToo() {
    List<SimJob> jobs = WorkloadLoader.parse("w.json", "{\"jobs\": [{\"name\": \"a\", \"gpus\": 8, \"computeHours\": 1}]}");
    assertEquals(1, jobs.size());
    assertEquals(8, jobs.get(0).gpus());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "no jobs          | other: 1                                               | 'jobs'",
    "missing gpus     | 'jobs: [{name: a, computeHours: 1}]'                   | 'jobs[0].gpus': missing",
    "text gpus        | 'jobs: [{name: a, gpus: many, computeHours: 1}]'       | 'jobs[0].gpus': must be a number",
    "fraction of gpus | 'jobs: [{name: a, gpus: 1.5, computeHours: 1}]'        | 'jobs[0].gpus': must be a whole number",
    "unknown field    | 'jobs: [{name: a, gpus: 1, computeHours: 1, gpu: 2}]'  | 'jobs[0].gpu': unknown field",
    "zero compute     | 'jobs: [{name: a, gpus: 1, computeHours: 0}]'          | computeHours must be positive",
    "negative arrival | 'jobs: [{name: a, gpus: 1, computeHours: 1, arrivalHours: -1}]' | 'jobs[0].arrivalHours'",
  })
  void badWorkloadsNameTheField(String label, String yaml, String expected) {
    TraceFileException e = assertThrows(TraceFileException.class, () -> WorkloadLoader.parse("w.yaml", yaml));
    assertTrue(e.getMessage().startsWith("w.yaml: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), label + " -> " + e.getMessage());
  }
}
