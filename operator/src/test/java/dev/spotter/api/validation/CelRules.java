package dev.spotter.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every x-kubernetes-validations rule of a CRD, compiled once against the declared type of its
 * node, and evaluated over an object (and the old object on updates) with the API server's
 * semantics: {@code self} is the node, transition rules (those naming {@code oldSelf}) run only on
 * updates where the old node exists, and a failed rule reports its message at the node's path.
 */
final class CelRules {
  private static final CelOptions OPTIONS = CelOptions.current()
      .enableHeterogeneousNumericComparisons(true)
      .comprehensionMaxIterations(100_000)
      .build();
  private static final Pattern FIELD_PATH_STEP = Pattern.compile("\\.([A-Za-z0-9_-]+)|\\['([^']*)'\\]|\\[(\\d+)\\]");

  private final CelTypes types;
  private final Map<Schema, List<CompiledRule>> rulesByNode = new IdentityHashMap<>();

  /** A rule ready to run. */
  private record CompiledRule(Schema.Rule source, CelRuntime.Program program, CelRuntime.Program messageProgram, boolean transition) {}

  CelRules(Schema root, String rootName) {
    this.types = new CelTypes(root, rootName);
    compileTree(root, rootName);
  }

  /** How many rules the CRD declares; lets tests prove that none was skipped. */
  int size() {
    return rulesByNode.values().stream().mapToInt(List::size).sum();
  }

  private void compileTree(Schema schema, String path) {
    if (schema == null) {
      return;
    }
    if (!schema.rules().isEmpty()) {
      List<CompiledRule> compiled = new ArrayList<>();
      for (Schema.Rule rule : schema.rules()) {
        compiled.add(compile(schema, rule, path));
      }
      rulesByNode.put(schema, compiled);
    }
    schema.properties().forEach((name, child) -> compileTree(child, path + "." + name));
    compileTree(schema.items(), path + "[*]");
    compileTree(schema.additionalProperties(), path + "[*]");
  }

  private CompiledRule compile(Schema schema, Schema.Rule rule, String path) {
    CelType self = types.typeOf(schema);
    CelType oldSelf = rule.optionalOldSelf() ? OptionalType.create(self) : self;
    Cel cel = CelFactory.standardCelBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .setTypeProvider(types)
        .addCompilerLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional())
        .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.sets(OPTIONS), CelExtensions.optional())
        .addVar("self", self)
        .addVar("oldSelf", oldSelf)
        .build();
    try {
      CelAbstractSyntaxTree ast = cel.compile(rule.rule()).getAst();
      if (!ast.getResultType().equals(SimpleType.BOOL)) {
        throw new IllegalStateException("rule at " + path + " must evaluate to bool, not " + ast.getResultType() + ": " + rule.rule());
      }
      CelRuntime.Program message = null;
      if (rule.messageExpression() != null) {
        CelAbstractSyntaxTree messageAst = cel.compile(rule.messageExpression()).getAst();
        if (!messageAst.getResultType().equals(SimpleType.STRING)) {
          throw new IllegalStateException("messageExpression at " + path + " must evaluate to string: " + rule.messageExpression());
        }
        message = cel.createProgram(messageAst);
      }
      return new CompiledRule(rule, cel.createProgram(ast), message, namesOldSelf(ast));
    } catch (CelValidationException e) {
      throw new IllegalStateException("the API server would reject the CRD: rule at " + path + " does not compile: " + e.getMessage(), e);
    } catch (CelEvaluationException e) {
      throw new IllegalStateException("rule at " + path + " cannot be planned: " + e.getMessage(), e);
    }
  }

  private static boolean namesOldSelf(CelAbstractSyntaxTree ast) {
    return CelNavigableAst.fromAst(ast).getRoot().allNodes()
        .anyMatch(n -> n.expr().getKind() == CelExpr.ExprKind.Kind.IDENT && n.expr().ident().name().equals("oldSelf"));
  }

  /** Evaluates every rule over the object; {@code old} is null on create. */
  List<FieldError> validate(JsonNode object, JsonNode old, Schema schema) {
    List<FieldError> errors = new ArrayList<>();
    walk(object, old, schema, "", errors);
    return errors;
  }

  private void walk(JsonNode node, JsonNode old, Schema schema, String path, List<FieldError> errors) {
    if (schema == null || node == null || node.isNull()) {
      return;
    }
    for (CompiledRule rule : rulesByNode.getOrDefault(schema, List.of())) {
      boolean hasOld = old != null && !old.isNull();
      if (rule.transition() && !hasOld && !rule.source().optionalOldSelf()) {
        continue;
      }
      evaluate(rule, node, hasOld ? old : null, schema, path, errors);
    }
    if (node.isObject()) {
      node.properties().forEach(e -> {
        String name = e.getKey();
        boolean declared = schema.properties().containsKey(name);
        String childPath = declared ? FieldError.child(path, name) : FieldError.key(path, name);
        walk(e.getValue(), old == null ? null : old.get(name), schema.child(name), childPath, errors);
      });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), correlate(node.get(i), old, schema), schema.items(), FieldError.index(path, i), errors);
      }
    }
  }

  /** List items correlate with old items only in map-type lists, by their keys, as on the API server. */
  private static JsonNode correlate(JsonNode item, JsonNode oldList, Schema list) {
    if (oldList == null || !oldList.isArray() || !"map".equals(list.listType()) || list.listMapKeys().isEmpty()) {
      return null;
    }
    for (JsonNode candidate : oldList) {
      if (list.listMapKeys().stream().allMatch(k -> candidate.path(k).equals(item.path(k)))) {
        return candidate;
      }
    }
    return null;
  }

  private void evaluate(CompiledRule rule, JsonNode node, JsonNode old, Schema schema, String path, List<FieldError> errors) {
    Map<String, Object> vars = new HashMap<>();
    vars.put("self", CelTypes.value(node, schema));
    if (rule.source().optionalOldSelf()) {
      vars.put("oldSelf", old == null ? Optional.empty() : Optional.of(CelTypes.value(old, schema)));
    } else if (old != null) {
      vars.put("oldSelf", CelTypes.value(old, schema));
    }
    String reported = ruleErrorString(rule.source());
    try {
      Object result = rule.program().eval(vars);
      if (Boolean.TRUE.equals(result)) {
        return;
      }
      errors.add(error(rule.source(), target(path, rule.source().fieldPath()), schema.typeName(), message(rule, vars)));
    } catch (CelEvaluationException e) {
      String cause = e.getMessage().replaceFirst("^evaluation error at [^:]*:\\d+: ", "");
      String detail = cause.contains("No matching overload")
          ? "'" + cause + "': call arguments did not match a supported operator, function or macro signature for rule: " + reported
          : cause + " evaluating rule: " + reported;
      errors.add(FieldError.invalid(path, schema.typeName(), detail));
    }
  }

  private static String message(CompiledRule rule, Map<String, Object> vars) {
    if (rule.messageProgram() != null) {
      try {
        Object text = rule.messageProgram().eval(vars);
        if (text instanceof String s && !s.isBlank() && !s.contains("\n")) {
          return s.strip();
        }
      } catch (CelEvaluationException e) {
        // the API server falls back to the static message when messageExpression fails
      }
    }
    return rule.source().message() != null ? rule.source().message().strip() : "failed rule: " + rule.source().rule().strip();
  }

  private static String ruleErrorString(Schema.Rule rule) {
    return rule.message() != null && !rule.message().isEmpty() ? rule.message().strip() : rule.rule().strip();
  }

  private static FieldError error(Schema.Rule rule, String path, String typeName, String detail) {
    String reason = rule.reason() == null ? "FieldValueInvalid" : rule.reason();
    return switch (reason) {
      case "FieldValueForbidden" -> new FieldError(FieldError.Type.FORBIDDEN, path, null, detail);
      case "FieldValueRequired" -> new FieldError(FieldError.Type.REQUIRED, path, null, detail);
      case "FieldValueDuplicate" -> new FieldError(FieldError.Type.DUPLICATE, path, typeName, "");
      default -> FieldError.invalid(path, typeName, detail);
    };
  }

  /** The rule's fieldPath (for example .capacity.onDemandBase) relative to the node's path. */
  static String target(String path, String fieldPath) {
    if (fieldPath == null || fieldPath.isEmpty()) {
      return path;
    }
    String out = path;
    Matcher m = FIELD_PATH_STEP.matcher(fieldPath);
    while (m.find()) {
      out = m.group(3) != null ? FieldError.index(out, Integer.parseInt(m.group(3))) : FieldError.child(out, m.group(1) != null ? m.group(1) : m.group(2));
    }
    return out;
  }
}
