package dev.spotter.api.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An offline stand-in for the API server's admission of custom objects, driven only by a CRD
 * YAML: it decodes a manifest, drops status (a subresource), prunes unknown fields (or rejects
 * them, as kubectl's default strict field validation does), applies schema defaults, validates
 * metadata and the OpenAPI schema, then evaluates every CEL rule with {@code dev.cel:cel}.
 *
 * <p>Not covered: formats, list-type uniqueness, CEL cost limits, and validation ratcheting of
 * unchanged invalid fields on update.
 */
public final class CrdAdmission {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String DNS_SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

  /** The fieldValidation modes of the API server; kubectl sends Strict by default. */
  public enum FieldValidation { STRICT, WARN, IGNORE }

  private final String group;
  private final String kind;
  private final String version;
  private final boolean namespaced;
  private final boolean statusSubresource;
  private final Schema schema;
  private final CelRules rules;
  private final FieldValidation fieldValidation;

  private CrdAdmission(JsonNode crd, FieldValidation fieldValidation) {
    JsonNode spec = crd.path("spec");
    this.group = spec.path("group").asText();
    this.kind = spec.path("names").path("kind").asText();
    this.namespaced = "Namespaced".equals(spec.path("scope").asText());
    JsonNode served = null;
    for (JsonNode v : spec.path("versions")) {
      if (v.path("storage").asBoolean(false) || served == null) {
        served = v;
      }
    }
    if (served == null) {
      throw new IllegalArgumentException("the CRD declares no version");
    }
    this.version = served.path("name").asText();
    this.statusSubresource = served.path("subresources").has("status");
    this.schema = Schema.parse(served.path("schema").path("openAPIV3Schema"));
    this.rules = new CelRules(schema, group + "." + version + "." + kind);
    this.fieldValidation = fieldValidation;
  }

  private CrdAdmission(CrdAdmission base, FieldValidation fieldValidation) {
    this.group = base.group;
    this.kind = base.kind;
    this.version = base.version;
    this.namespaced = base.namespaced;
    this.statusSubresource = base.statusSubresource;
    this.schema = base.schema;
    this.rules = base.rules;
    this.fieldValidation = fieldValidation;
  }

  /** Loads a CRD from a YAML file, for example crds/trainingjobs.spotter.dev.yaml. */
  public static CrdAdmission load(Path crdYaml) {
    try {
      return fromYaml(Files.readString(crdYaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static CrdAdmission fromYaml(String crdYaml) {
    return new CrdAdmission(read(crdYaml), FieldValidation.STRICT);
  }

  /** The same CRD admitted with another fieldValidation mode. */
  public CrdAdmission withFieldValidation(FieldValidation mode) {
    return new CrdAdmission(this, mode);
  }

  /** How many CEL rules the CRD declares (all compiled). */
  public int ruleCount() {
    return rules.size();
  }

  public AdmissionResult create(String manifest) {
    return admit(read(manifest), null);
  }

  public AdmissionResult update(String oldManifest, String newManifest) {
    ObjectNode old = read(oldManifest);
    Structural.prune(old, schema);
    Structural.applyDefaults(old, schema);
    return admit(read(newManifest), old);
  }

  private AdmissionResult admit(ObjectNode object, ObjectNode old) {
    String name = object.path("metadata").path("name").asText("");
    String apiVersion = group + "/" + version;
    if (!apiVersion.equals(object.path("apiVersion").asText()) || !kind.equals(object.path("kind").asText())) {
      return AdmissionResult.badRequest("no matches for kind " + FieldError.quote(object.path("kind").asText())
          + " in version " + FieldError.quote(object.path("apiVersion").asText()) + "; this CRD serves " + kind + " " + apiVersion);
    }
    if (statusSubresource) {
      // create cannot set status; a main-resource update keeps the stored status
      object.remove("status");
      if (old != null && old.has("status")) {
        object.set("status", old.get("status").deepCopy());
      }
    }
    List<String> unknown = Structural.prune(object, schema);
    List<String> warnings = new ArrayList<>();
    if (!unknown.isEmpty()) {
      if (fieldValidation == FieldValidation.STRICT) {
        return AdmissionResult.badRequest(kind + " in version " + FieldError.quote(version) + " cannot be handled as a " + kind
            + ": strict decoding error: " + unknown.stream().map(f -> "unknown field " + FieldError.quote(f)).collect(Collectors.joining(", ")));
      }
      if (fieldValidation == FieldValidation.WARN) {
        unknown.forEach(f -> warnings.add("unknown field " + FieldError.quote(f)));
      }
    }
    Structural.applyDefaults(object, schema);
    List<FieldError> errors = new ArrayList<>(validateMetadata(object.path("metadata")));
    List<FieldError> schemaErrors = SchemaValidator.validate(object, schema);
    errors.addAll(schemaErrors);
    if (schemaErrors.stream().anyMatch(e -> e.type().blocksCel)) {
      errors.add(FieldError.invalid(null, null,
          "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"));
    } else {
      errors.addAll(rules.validate(object, old, schema));
    }
    if (!errors.isEmpty()) {
      return AdmissionResult.invalid(kind + "." + group, name, errors);
    }
    return new AdmissionResult(old == null ? 201 : 200, "", List.of(), List.copyOf(warnings), object);
  }

  private List<FieldError> validateMetadata(JsonNode metadata) {
    List<FieldError> errors = new ArrayList<>();
    String name = metadata.path("name").asText("");
    if (name.isEmpty() && metadata.path("generateName").asText("").isEmpty()) {
      errors.add(new FieldError(FieldError.Type.REQUIRED, "metadata.name", null, "name or generateName is required"));
    } else if (!name.isEmpty() && (name.length() > 253 || !name.matches(DNS_SUBDOMAIN))) {
      errors.add(FieldError.invalid("metadata.name", name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
          + " characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for"
          + " validation is '" + DNS_SUBDOMAIN + "')"));
    }
    if (!namespaced && metadata.hasNonNull("namespace") && !metadata.path("namespace").asText().isEmpty()) {
      errors.add(new FieldError(FieldError.Type.FORBIDDEN, "metadata.namespace", null, "not allowed on this type"));
    }
    return errors;
  }

  private static ObjectNode read(String yaml) {
    try {
      JsonNode node = YAML.readTree(yaml);
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalArgumentException("not a YAML object: " + yaml);
      }
      return object;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getOriginalMessage(), e);
    }
  }
}
