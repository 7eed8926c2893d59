{{/* Chart name, truncated to the 63 characters a label value may hold. */}}
{{- define "spotter.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of the operator's objects: the release name, unless it already contains the chart name. */}}
{{- define "spotter.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "spotter.agentName" -}}
{{- printf "%s-agent" (include "spotter.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "spotter.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "spotter.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: spotter
{{- end }}

{{/* Labels of pod templates: the selector labels plus what identifies the release. */}}
{{- define "spotter.podLabels" -}}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: spotter
{{- end }}

{{- define "spotter.selectorLabels" -}}
app.kubernetes.io/name: {{ include "spotter.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "spotter.agentSelectorLabels" -}}
app.kubernetes.io/name: {{ include "spotter.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: agent
{{- end }}

{{- define "spotter.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "spotter.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "spotter.agentServiceAccountName" -}}
{{- if .Values.agent.serviceAccount.create }}
{{- default (include "spotter.agentName" .) .Values.agent.serviceAccount.name }}
{{- else }}
{{- required "agent.serviceAccount.name is required when agent.serviceAccount.create is false" .Values.agent.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image reference: a digest wins over a tag; the tag defaults to the chart's appVersion so a
release always runs the operator it was tested with, never a moving "latest".
*/}}
{{- define "spotter.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if eq $tag "latest" }}
{{- fail "image.tag must not be \"latest\": pin a release tag or set image.digest" }}
{{- end }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/* "true" or "false": leader election is on when asked, or, with "auto", when more than one replica runs. */}}
{{- define "spotter.leaderElection" -}}
{{- $le := .Values.operator.config.leaderElection }}
{{- $on := false }}
{{- if eq (toString $le) "auto" }}
{{- $on = gt (int .Values.operator.replicas) 1 }}
{{- else }}
{{- $on = $le }}
{{- end }}
{{- if and (not $on) (gt (int .Values.operator.replicas) 1) }}
{{- fail "operator.replicas > 1 needs operator.config.leaderElection (true or auto): two operators without a leader would both place jobs" }}
{{- end }}
{{- toString $on }}
{{- end }}

{{/* Namespace of the leader-election Lease (and of the Role that grants access to it). */}}
{{- define "spotter.leaseNamespace" -}}
{{- default .Release.Namespace .Values.operator.config.leaderElectionNamespace }}
{{- end }}
