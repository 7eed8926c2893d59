package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A taint a pool's nodes carry, tolerated by the pods Spotter places there. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolTaint {
  @Required
  @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
  @Size(max = 316)
  private String key;
  private String value;

  @Required
  @Size(max = 16)
  @ValidationRule(value = "self in ['NoSchedule', 'PreferNoSchedule', 'NoExecute']", message = "taint effect must be NoSchedule, PreferNoSchedule or NoExecute")
  private String effect;

  public PoolTaint() {}

  public PoolTaint(String key, String value, String effect) {
    this.key = key;
    this.value = value;
    this.effect = effect;
  }

  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
  public String getEffect() { return effect; }
  public void setEffect(String effect) { this.effect = effect; }
}
