package dev.spotter.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The offline admission itself: each test shows a behaviour of the API server it reproduces, and that it can reject. */
class CrdAdmissionTest {
  /** A small CRD with one of each construct the validator handles. */
  private static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.dev}
      spec:
        group: example.dev
        names: {kind: Widget, plural: widgets}
        scope: Namespaced
        versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [size]
                    x-kubernetes-validations:
                      - rule: "self.size <= self.limit"
                        message: "size cannot exceed limit"
                        fieldPath: .size
                      - rule: "!has(self.mode) || self.mode != 'Down' || !has(self.surge)"
                        message: "surge needs a mode other than Down"
                        reason: FieldValueForbidden
                    properties:
                      size:
                        type: integer
                        minimum: 1
                        x-kubernetes-validations:
                          - rule: "self == oldSelf"
                            message: "size is immutable"
                      limit: {type: integer, default: 10}
                      price:
                        type: number
                        x-kubernetes-validations:
                          - rule: "self >= 0.5"
                            message: "price must be at least 0.5"
                      mode: {type: string, enum: [Up, Down]}
                      surge:
                        x-kubernetes-int-or-string: true
                        anyOf: [{type: integer}, {type: string}]
                        x-kubernetes-validations:
                          - rule: "self >= 0"
                            message: "surge must not be negative"
                      name: {type: string, maxLength: 5, pattern: "^[a-z]+$"}
                      tags:
                        type: array
                        maxItems: 2
                        items: {type: string}
                        x-kubernetes-validations:
                          - rule: "self.all(t, t.startsWith('x-'))"
                            messageExpression: "'tag ' + self.filter(t, !t.startsWith('x-'))[0] + ' must start with x-'"
                      labels:
                        type: object
                        additionalProperties: {type: string}
                      since:
                        type: string
                        x-kubernetes-validations:
                          - rule: "timestamp(self) > timestamp('2000-01-01T00:00:00Z')"
                            message: "since must be a time after 2000"
                      generation:
                        type: integer
                        x-kubernetes-validations:
                          - rule: "!oldSelf.hasValue() || self >= oldSelf.value()"
                            message: "generation may only grow"
                            optionalOldSelf: true
                      extra:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                  status:
                    type: object
                    properties:
                      ready: {type: boolean}
      """;

  private static final CrdAdmission WIDGETS = CrdAdmission.fromYaml(CRD);

  private static String widget(String spec) {
    return "apiVersion: example.dev/v1\nkind: Widget\nmetadata: {name: w1, namespace: default}\nspec: " + spec + "\n";
  }

  private static void assertRejected(AdmissionResult result, String expectedError) {
    assertFalse(result.allowed(), "expected a rejection with " + expectedError + ", got " + result);
    assertTrue(result.errors().stream().map(FieldError::toString).anyMatch(expectedError::equals),
        "expected error\n  " + expectedError + "\nin\n" + result.errorLines());
  }

  @Test
  void ruleThatHoldsAcceptsAndRuleThatFailsRejectsWithItsMessageAtItsFieldPath() {
    assertTrue(WIDGETS.create(widget("{size: 3, limit: 4}")).allowed());
    AdmissionResult result = WIDGETS.create(widget("{size: 5, limit: 4}"));
    assertRejected(result, "spec.size: Invalid value: \"object\": size cannot exceed limit");
    assertEquals(422, result.status());
    assertEquals("Widget.example.dev \"w1\" is invalid: spec.size: Invalid value: \"object\": size cannot exceed limit", result.message());
  }

  @Test
  void defaultsAreAppliedBeforeRulesRunAndKeptInTheStoredObject() {
    AdmissionResult ok = WIDGETS.create(widget("{size: 10}"));
    assertTrue(ok.allowed(), ok.toString());
    assertEquals(10, ok.object().path("spec").path("limit").asInt());
    assertRejected(WIDGETS.create(widget("{size: 11}")), "spec.size: Invalid value: \"object\": size cannot exceed limit");
    assertTrue(WIDGETS.create(widget("{size: 1, limit: null}")).allowed(), "a null non-nullable field is dropped, then defaulted");
  }

  @Test
  void transitionRulesAreSkippedOnCreateAndEnforcedOnUpdate() {
    assertTrue(WIDGETS.create(widget("{size: 7}")).allowed());
    assertTrue(WIDGETS.update(widget("{size: 7}"), widget("{size: 7, limit: 20}")).allowed());
    assertRejected(WIDGETS.update(widget("{size: 7}"), widget("{size: 8}")), "spec.size: Invalid value: \"integer\": size is immutable");
  }

  @Test
  void optionalOldSelfRulesRunOnCreateWithAnEmptyOldSelf() {
    assertTrue(WIDGETS.create(widget("{size: 1, generation: 3}")).allowed());
    assertTrue(WIDGETS.update(widget("{size: 1, generation: 3}"), widget("{size: 1, generation: 4}")).allowed());
    assertRejected(WIDGETS.update(widget("{size: 1, generation: 3}"), widget("{size: 1, generation: 2}")),
        "spec.generation: Invalid value: \"integer\": generation may only grow");
  }

  @Test
  void schemaErrorsUseTheApiServerWording() {
    assertRejected(WIDGETS.create(widget("{size: 0}")), "spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1");
    assertRejected(WIDGETS.create(widget("{size: 1, name: Abc}")), "spec.name: Invalid value: \"Abc\": spec.name in body should match '^[a-z]+$'");
    assertRejected(WIDGETS.create(widget("{size: 1, name: abcdef}")), "spec.name: Too long: may not be longer than 5");
    assertRejected(WIDGETS.create(widget("{size: 1, tags: [x-a, x-b, x-c]}")), "spec.tags: Too many: 3: must have at most 2 items");
    assertRejected(WIDGETS.create(widget("{size: '2'}")), "spec.size: Invalid value: \"string\": spec.size in body must be of type integer: \"string\"");
    assertRejected(WIDGETS.create(widget("{size: 1, mode: Maybe}")), "spec.mode: Unsupported value: \"Maybe\": supported values: \"Up\", \"Down\"");
    assertRejected(WIDGETS.create(widget("{limit: 3}")), "spec.size: Required value");
    assertRejected(WIDGETS.create(widget("{size: 1, labels: {a: 1}}")), "spec.labels[a]: Invalid value: \"integer\": spec.labels[a] in body must be of type string: \"integer\"");
  }

  @Test
  void blockingSchemaErrorsSkipTheRulesAndSaySo() {
    AdmissionResult result = WIDGETS.create(widget("{size: 5, limit: 4, mode: Maybe}"));
    assertRejected(result, "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid;"
        + " correct the existing errors to complete validation");
    assertFalse(result.errorLines().contains("size cannot exceed limit"), result.errorLines());
    // a range error does not block: the rules still run
    assertRejected(WIDGETS.create(widget("{size: 0, limit: -1}")), "spec.size: Invalid value: \"object\": size cannot exceed limit");
  }

  @Test
  void unknownFieldsAreRejectedInStrictModeAndPrunedOtherwise() {
    String manifest = widget("{size: 1, colour: red, extra: {anything: [1, 2]}}");
    AdmissionResult strict = WIDGETS.create(manifest);
    assertEquals(400, strict.status());
    assertEquals("Widget in version \"v1\" cannot be handled as a Widget: strict decoding error: unknown field \"spec.colour\"", strict.message());
    AdmissionResult warn = WIDGETS.withFieldValidation(CrdAdmission.FieldValidation.WARN).create(manifest);
    assertTrue(warn.allowed());
    assertEquals(List.of("unknown field \"spec.colour\""), warn.warnings());
    assertFalse(warn.object().path("spec").has("colour"));
    assertEquals(2, warn.object().path("spec").path("extra").path("anything").size(), "preserve-unknown-fields keeps its content");
    assertTrue(WIDGETS.withFieldValidation(CrdAdmission.FieldValidation.IGNORE).create(manifest).warnings().isEmpty());
  }

  @Test
  void statusIsASubresourceAndIsDroppedOnCreate() {
    AdmissionResult result = WIDGETS.create(widget("{size: 1}") + "status: {ready: notabool}\n");
    assertTrue(result.allowed(), result.toString());
    assertFalse(result.object().has("status"));
  }

  @Test
  void numbersAreDoublesAndIntOrStringIsDynInRules() {
    assertTrue(WIDGETS.create(widget("{size: 1, price: 1}")).allowed(), "a YAML int in a number field compares as a double");
    assertRejected(WIDGETS.create(widget("{size: 1, price: 0.25}")), "spec.price: Invalid value: \"number\": price must be at least 0.5");
    assertRejected(WIDGETS.create(widget("{size: 1, mode: Up, surge: -1}")), "spec.surge: Invalid value: \"\": surge must not be negative");
    assertTrue(WIDGETS.create(widget("{size: 1, mode: Up, surge: 2}")).allowed());
    assertRejected(WIDGETS.create(widget("{size: 1, surge: true}")), "spec.surge: Invalid value: \"boolean\": spec.surge in body must be of type integer,string: \"boolean\"");
  }

  @Test
  void reasonAndMessageExpressionShapeTheError() {
    assertRejected(WIDGETS.create(widget("{size: 1, mode: Down, surge: 1}")), "spec: Forbidden: surge needs a mode other than Down");
    assertRejected(WIDGETS.create(widget("{size: 1, tags: [x-a, b]}")), "spec.tags: Invalid value: \"array\": tag b must start with x-");
  }

  @Test
  void aRuleThatFailsToEvaluateReportsTheCauseAndTheRuleMessage() {
    assertTrue(WIDGETS.create(widget("{size: 1, since: '2026-02-01T00:00:00Z'}")).allowed());
    AdmissionResult result = WIDGETS.create(widget("{size: 1, since: '2026-02-30T00:00:00Z'}"));
    assertFalse(result.allowed());
    String line = result.errorLines();
    assertTrue(line.startsWith("spec.since: Invalid value: \"string\": ") && line.endsWith(" evaluating rule: since must be a time after 2000"), line);
  }

  @Test
  void aDynValueOfTheWrongTypeReportsTheMissingOverload() {
    AdmissionResult result = WIDGETS.create(widget("{size: 1, mode: Up, surge: '25%'}"));
    assertFalse(result.allowed());
    assertTrue(result.errorLines().startsWith("spec.surge: Invalid value: \"\": '")
        && result.errorLines().endsWith("': call arguments did not match a supported operator, function or macro signature for rule: surge must not be negative"),
        result.errorLines());
  }

  @Test
  void metadataNameMustBeADnsSubdomain() {
    String manifest = "apiVersion: example.dev/v1\nkind: Widget\nmetadata: {name: My_Widget}\nspec: {size: 1}\n";
    AdmissionResult result = WIDGETS.create(manifest);
    assertFalse(result.allowed());
    assertTrue(result.errorLines().startsWith("metadata.name: Invalid value: \"My_Widget\": a lowercase RFC 1123 subdomain"), result.errorLines());
  }

  @Test
  void aManifestOfAnotherKindIsNotServed() {
    AdmissionResult result = WIDGETS.create("apiVersion: example.dev/v2\nkind: Widget\nmetadata: {name: a}\nspec: {size: 1}\n");
    assertEquals(400, result.status());
    assertTrue(result.message().startsWith("no matches for kind \"Widget\" in version \"example.dev/v2\""), result.message());
  }

  @Test
  void aRuleTheApiServerCouldNotCompileFailsTheLoad() {
    String wrongType = CRD.replace("self.size <= self.limit", "self.size <= 'ten'");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> CrdAdmission.fromYaml(wrongType));
    assertTrue(e.getMessage().contains("does not compile"), e.getMessage());
    String unknownField = CRD.replace("self.size <= self.limit", "self.sise <= self.limit");
    assertThrows(IllegalStateException.class, () -> CrdAdmission.fromYaml(unknownField));
    String notBool = CRD.replace("self.size <= self.limit", "self.size + self.limit");
    assertTrue(assertThrows(IllegalStateException.class, () -> CrdAdmission.fromYaml(notBool)).getMessage().contains("must evaluate to bool"));
  }

  @Test
  void everyRuleOfTheCrdIsCompiled() {
    assertEquals(8, WIDGETS.ruleCount());
  }
}
