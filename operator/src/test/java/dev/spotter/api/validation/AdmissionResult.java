package dev.spotter.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The API server's answer to a create or update: allowed (with the defaulted object it would
 * store and any warnings) or rejected with the status message kubectl prints.
 *
 * @param status 201/200 when allowed, 422 for invalid objects, 400 for strict decoding errors
 * @param message the Status message, for example
 *     {@code TrainingJob.spotter.dev "a" is invalid: spec.workers: Invalid value: 0: ...}
 * @param errors the field errors behind a 422, empty otherwise
 * @param warnings what the API server would send back as Warning headers (pruned fields)
 * @param object the object as it would be stored, defaults applied and unknown fields pruned
 */
public record AdmissionResult(int status, String message, List<FieldError> errors, List<String> warnings, JsonNode object) {

  public boolean allowed() {
    return status < 300;
  }

  /** The field errors, one per line, as kubectl lists them. */
  public String errorLines() {
    return errors.stream().map(FieldError::toString).collect(Collectors.joining("\n"));
  }

  static AdmissionResult invalid(String groupKind, String name, List<FieldError> errors) {
    String rendered = errors.size() == 1
        ? errors.get(0).toString()
        : errors.stream().map(FieldError::toString).collect(Collectors.joining(", ", "[", "]"));
    return new AdmissionResult(422, groupKind + " " + FieldError.quote(name) + " is invalid: " + rendered, List.copyOf(errors), List.of(), null);
  }

  static AdmissionResult badRequest(String message) {
    return new AdmissionResult(400, message, List.of(), List.of(), null);
  }

  @Override
  public String toString() {
    return allowed() ? "allowed " + warnings : status + " " + message;
  }
}
