package dev.spotter.preemption.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Azure Scheduled Events ({@code /metadata/scheduledevents?api-version=2020-07-01}): {@code
 * {"DocumentIncarnation": n, "Events": [{"EventId", "EventType", "ResourceType", "Resources",
 * "EventStatus", "NotBefore", "Description", "EventSource", "DurationInSeconds"}]}}.
 *
 * <p>Events reach every VM of an availability set or scale-set placement group, so only events
 * whose {@code Resources} name this VM count (all of them when the VM name is unknown). {@code
 * Preempt} is a spot eviction, {@code Terminate} a deletion, {@code Redeploy} maintenance that
 * moves the VM; {@code Reboot} and {@code Freeze} keep the node and are ignored. The deadline is
 * {@code NotBefore} (RFC 1123, e.g. {@code Mon, 19 Sep 2016 18:29:47 GMT}); an event that has
 * {@code Started} has an empty {@code NotBefore} and is due now. Spotter acknowledges nothing: the
 * platform keeps its full window.
 */
public final class AzureScheduledEventsParser {
  private static final Logger LOG = LoggerFactory.getLogger(AzureScheduledEventsParser.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The most urgent relevant event for this VM, if any. */
  public Optional<Notice> parse(String node, String vmName, MetadataResponse r, NoticeContext ctx) {
    if (!r.ok()) {
      LOG.warn("scheduledevents answered HTTP {}", r.status());
      return Optional.empty();
    }
    JsonNode events;
    try {
      events = JSON.readTree(r.body()).get("Events");
    } catch (Exception e) {
      LOG.warn("ignoring malformed scheduled events {}: {}", AwsInstanceActionParser.abbreviate(r.body()), e.toString());
      return Optional.empty();
    }
    if (events == null || !events.isArray()) {
      LOG.warn("ignoring scheduled events without an Events array: {}", AwsInstanceActionParser.abbreviate(r.body()));
      return Optional.empty();
    }
    List<Notice> notices = new ArrayList<>();
    for (JsonNode event : events) {
      toNotice(node, vmName, event, ctx).ifPresent(notices::add);
    }
    return notices.stream().reduce((a, b) -> a.supersededBy(b) ? b : a);
  }

  private Optional<Notice> toNotice(String node, String vmName, JsonNode event, NoticeContext ctx) {
    String type = event.path("EventType").asText("");
    NoticeKind kind =
        switch (type) {
          case "Preempt" -> NoticeKind.SpotInterruption;
          case "Terminate" -> NoticeKind.Termination;
          case "Redeploy" -> NoticeKind.Maintenance;
          default -> null;
        };
    if (kind == null || !concernsThisVm(event.path("Resources"), vmName)) {
      return Optional.empty();
    }
    Instant now = ctx.now();
    String notBefore = event.path("NotBefore").asText("").trim();
    Instant deadline;
    if (notBefore.isEmpty()) {
      deadline = "Started".equals(event.path("EventStatus").asText()) ? now : now.plus(ctx.windows().windowFor(Cloud.Azure));
    } else {
      try {
        deadline = ZonedDateTime.parse(notBefore, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        LOG.warn("ignoring {} event {} with malformed NotBefore {}", type, event.path("EventId").asText(), notBefore);
        return Optional.empty();
      }
    }
    String detail = type + " " + event.path("EventId").asText("") + " " + event.path("EventStatus").asText("");
    return Optional.of(new Notice(node, kind, NoticeSource.AgentAzure, deadline, now, detail.trim()));
  }

  private static boolean concernsThisVm(JsonNode resources, String vmName) {
    if (vmName == null || vmName.isBlank() || !resources.isArray() || resources.isEmpty()) {
      return true;
    }
    for (JsonNode r : resources) {
      if (vmName.equalsIgnoreCase(r.asText())) {
        return true;
      }
    }
    return false;
  }
}
