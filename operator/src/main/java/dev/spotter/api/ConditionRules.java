package dev.spotter.api;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a job's status may never say at once: the conditions and the phase a user reads in
 * {@code kubectl describe} must tell one story. Pure; the tests check every status the operator
 * writes against it.
 */
public final class ConditionRules {
  private ConditionRules() {}

  /** The contradictions in a TrainingJob's status, empty when it is consistent. */
  public static List<String> contradictions(TrainingJobStatus st) {
    if (st == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(contradictions(st.getConditions()));
    List<Condition> c = st.getConditions();
    JobPhase phase = st.getPhase();
    boolean complete = is(c, Conditions.COMPLETE, true);
    boolean failed = is(c, Conditions.FAILED, true);
    if (complete != (phase == JobPhase.Succeeded)) {
      out.add("phase " + phase + " but Complete=" + status(c, Conditions.COMPLETE));
    }
    if (failed != (phase == JobPhase.Failed)) {
      out.add("phase " + phase + " but Failed=" + status(c, Conditions.FAILED));
    }
    if ((phase == JobPhase.Running || phase == JobPhase.Checkpointing) && !is(c, Conditions.ADMITTED, true)) {
      out.add("phase " + phase + " but Admitted=" + status(c, Conditions.ADMITTED));
    }
    if ((phase == JobPhase.Running || phase == JobPhase.Checkpointing) && st.getPlacement() == null) {
      out.add("phase " + phase + " without a placement");
    }
    if ((phase == JobPhase.Pending || phase == JobPhase.Restarting) && is(c, Conditions.ADMITTED, true)) {
      out.add("phase " + phase + " (waiting) but Admitted=True");
    }
    if (is(c, Conditions.RUNNING, true) && phase != JobPhase.Running && phase != JobPhase.Checkpointing) {
      out.add("Running=True but phase " + phase);
    }
    return out;
  }

  /** Contradictions between conditions alone, for any kind of job. */
  public static List<String> contradictions(List<Condition> c) {
    List<String> out = new ArrayList<>();
    if (c == null) {
      return out;
    }
    if (is(c, Conditions.COMPLETE, true) && is(c, Conditions.FAILED, true)) {
      out.add("Complete=True and Failed=True");
    }
    for (String done : List.of(Conditions.COMPLETE, Conditions.FAILED)) {
      if (is(c, done, true) && is(c, Conditions.RUNNING, true)) {
        out.add("Running=True and " + done + "=True");
      }
      if (is(c, done, true) && is(c, "Checkpointing", true)) {
        out.add("Checkpointing=True and " + done + "=True");
      }
    }
    if (is(c, Conditions.RUNNING, true) && is(c, Conditions.ADMITTED, false)) {
      out.add("Running=True while Admitted=False");
    }
    for (Condition x : c) {
      if (c.stream().filter(y -> x.getType().equals(y.getType())).count() > 1) {
        out.add("condition " + x.getType() + " appears more than once");
        break;
      }
    }
    return out;
  }

  private static boolean is(List<Condition> c, String type, boolean value) {
    return Conditions.find(c, type).map(x -> (value ? "True" : "False").equals(x.getStatus())).orElse(false);
  }

  private static String status(List<Condition> c, String type) {
    Optional<Condition> x = Conditions.find(c, type);
    return x.map(Condition::getStatus).orElse("absent");
  }
}
