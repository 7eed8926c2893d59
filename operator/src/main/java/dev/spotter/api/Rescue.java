package dev.spotter.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** A preemption being handled: the notice, the checkpoint asked for, and who has answered. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Rescue {
  @JsonPropertyDescription("Id sent with the checkpoint request (the workload may use it as the checkpoint id).")
  private String requestId;
  @JsonPropertyDescription("Node under notice.")
  private String node;
  @JsonPropertyDescription("Kind of notice, for example SpotInterruption.")
  private String noticeKind;
  @JsonPropertyDescription("Where the notice came from, for example aws-nth or agent-gcp.")
  private String noticeSource;
  @JsonPropertyDescription("When the node goes away (RFC 3339).")
  private String noticeDeadline;
  @JsonPropertyDescription("When the notice was first seen (RFC 3339).")
  private String noticeSeenAt;
  @JsonPropertyDescription("When the checkpoint was requested from every rank (RFC 3339).")
  private String requestedAt;
  @JsonPropertyDescription("Ranks that committed their checkpoint.")
  private List<Integer> committedRanks = new ArrayList<>();

  public String getRequestId() { return requestId; }
  public void setRequestId(String requestId) { this.requestId = requestId; }
  public String getNode() { return node; }
  public void setNode(String node) { this.node = node; }
  public String getNoticeKind() { return noticeKind; }
  public void setNoticeKind(String noticeKind) { this.noticeKind = noticeKind; }
  public String getNoticeSource() { return noticeSource; }
  public void setNoticeSource(String noticeSource) { this.noticeSource = noticeSource; }
  public String getNoticeDeadline() { return noticeDeadline; }
  public void setNoticeDeadline(String noticeDeadline) { this.noticeDeadline = noticeDeadline; }
  public String getNoticeSeenAt() { return noticeSeenAt; }
  public void setNoticeSeenAt(String noticeSeenAt) { this.noticeSeenAt = noticeSeenAt; }
  public String getRequestedAt() { return requestedAt; }
  public void setRequestedAt(String requestedAt) { this.requestedAt = requestedAt; }
  public List<Integer> getCommittedRanks() { return committedRanks; }
  public void setCommittedRanks(List<Integer> committedRanks) { this.committedRanks = committedRanks; }
}
