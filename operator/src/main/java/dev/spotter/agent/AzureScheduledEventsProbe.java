package dev.spotter.agent;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.source.AzureScheduledEventsParser;
import dev.spotter.preemption.source.NoticeContext;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Azure Scheduled Events: {@code GET /metadata/scheduledevents?api-version=2020-07-01} with header
 * {@code Metadata: true}. Events are filtered to this VM, whose name comes from the option or, once,
 * from {@code /metadata/instance/compute/name}. Nothing is ever acknowledged.
 */
final class AzureScheduledEventsProbe implements MetadataProbe {
  private static final Logger LOG = LoggerFactory.getLogger(AzureScheduledEventsProbe.class);
  private static final Map<String, String> HEADERS = Map.of("Metadata", "true");

  private final String node;
  private final MetadataHttp http;
  private final URI events;
  private final URI vmNameUri;
  private final NoticeContext ctx;
  private final AzureScheduledEventsParser parser = new AzureScheduledEventsParser();
  private String vmName;
  private boolean vmNameTried;

  AzureScheduledEventsProbe(AgentConfig config, MetadataHttp http, NoticeContext ctx) {
    URI base = config.endpoint(Cloud.Azure);
    this.node = config.node();
    this.http = http;
    this.events = base.resolve("/metadata/scheduledevents?api-version=2020-07-01");
    this.vmNameUri = base.resolve("/metadata/instance/compute/name?api-version=2021-02-01&format=text");
    this.vmName = config.azureVmName();
    this.ctx = ctx;
  }

  @Override
  public Cloud cloud() {
    return Cloud.Azure;
  }

  @Override
  public List<Notice> poll() throws IOException, InterruptedException {
    resolveVmName();
    MetadataHttp.Answer a = http.get(events, HEADERS);
    return parser.parse(node, vmName, a.response(), ctx).map(List::of).orElse(List.of());
  }

  private void resolveVmName() throws InterruptedException {
    if (vmName != null || vmNameTried) {
      return;
    }
    vmNameTried = true;
    try {
      MetadataHttp.Answer a = http.get(vmNameUri, HEADERS);
      if (a.status() == 200 && !a.body().isBlank()) {
        vmName = a.body().trim();
        LOG.info("Azure VM name {}", vmName);
        return;
      }
      LOG.warn("Azure compute/name answered HTTP {}; every Preempt event will count", a.status());
    } catch (IOException e) {
      LOG.warn("cannot read the Azure VM name ({}); every Preempt event will count", e.toString());
    }
  }
}
