{{/*
Helpers shared by every service's templates. Per-service helpers take a dict:
  (dict "root" $ "key" "ingest" "svc" $svc)
where key is the service's key under .Values.services and svc its values.
*/}}

{{- define "hotpass.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hotpass.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "hotpass.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every resource of the release. */}}
{{- define "hotpass.commonLabels" -}}
helm.sh/chart: {{ include "hotpass.chart" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: hotpass
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of the release's own pods, for network policies: every Hotpass pod of this release. */}}
{{- define "hotpass.releasePodSelector" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: hotpass
{{- end -}}

{{/* Release-wide resources that belong to no single service. */}}
{{- define "hotpass.labels" -}}
app.kubernetes.io/name: {{ include "hotpass.name" . }}
{{ include "hotpass.commonLabels" . }}
{{- end -}}

{{- define "hotpass.svc.fullname" -}}
{{- printf "%s-%s" (include "hotpass.fullname" .root) .svc.imageName | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "hotpass.svc.selectorLabels" -}}
app.kubernetes.io/name: {{ .svc.imageName }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "hotpass.svc.labels" -}}
app.kubernetes.io/name: {{ .svc.imageName }}
app.kubernetes.io/component: {{ ternary "gateway" "service" (eq .key "gateway") }}
{{ include "hotpass.commonLabels" .root }}
{{- end -}}

{{- define "hotpass.svc.image" -}}
{{- $img := .root.Values.image -}}
{{- printf "%s/%s/%s:%s" $img.registry $img.repository .svc.imageName ($img.tag | default .root.Chart.AppVersion) -}}
{{- end -}}

{{- define "hotpass.svc.serviceAccountName" -}}
{{- include "hotpass.svc.fullname" . -}}
{{- end -}}

{{- define "hotpass.svc.runnerServiceAccountName" -}}
{{- printf "%s-runner" (include "hotpass.svc.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The gateway's in-cluster base URL; services call each other through it. */}}
{{- define "hotpass.gatewayUrl" -}}
{{- $gw := .Values.services.gateway -}}
{{- printf "http://%s:%v" (include "hotpass.svc.fullname" (dict "root" . "svc" $gw)) $gw.port -}}
{{- end -}}

{{- define "hotpass.postgresClusterName" -}}
{{- printf "%s-postgres" (include "hotpass.fullname" .) | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{/* JDBC URL of the PostgreSQL server, without a database. */}}
{{- define "hotpass.dbServerUrl" -}}
{{- if eq .Values.database.mode "cloudnativepg" -}}
{{- printf "jdbc:postgresql://%s-rw:5432" (include "hotpass.postgresClusterName" .) -}}
{{- else -}}
{{- .Values.database.external.serverUrl | trimSuffix "/" -}}
{{- end -}}
{{- end -}}

{{- define "hotpass.keycloakIssuer" -}}
{{- if eq .Values.keycloak.mode "operator" -}}
{{- printf "https://%s/realms/%s" .Values.keycloak.operator.hostname .Values.keycloak.realm -}}
{{- else -}}
{{- printf "%s/realms/%s" (.Values.keycloak.url | trimSuffix "/") .Values.keycloak.realm -}}
{{- end -}}
{{- end -}}

{{- define "hotpass.keycloakUrl" -}}
{{- if eq .Values.keycloak.mode "operator" -}}
{{- printf "https://%s" .Values.keycloak.operator.hostname -}}
{{- else -}}
{{- .Values.keycloak.url | trimSuffix "/" -}}
{{- end -}}
{{- end -}}

{{/*
Where a service's runs execute: "kubernetes" (one Job per run, created by the service), "in-process"
(a pool inside the service) or "" (runners off). runners.launcher defaults to kubernetes.
*/}}
{{- define "hotpass.svc.runnerLauncher" -}}
{{- if .svc.runners.enabled -}}{{- .svc.runners.launcher | default "kubernetes" -}}{{- end -}}
{{- end -}}

{{/* Services whose runners create Jobs need the API server and a token; no other service gets either. */}}
{{- define "hotpass.svc.needsApiToken" -}}
{{- if eq (include "hotpass.svc.runnerLauncher" .) "kubernetes" -}}true{{- end -}}
{{- end -}}

{{/* Labels of a service's runner Job pods: not its selector labels, so its Service, PDB and HPA ignore them. */}}
{{- define "hotpass.svc.runnerSelectorLabels" -}}
app.kubernetes.io/name: {{ .svc.imageName }}-runner
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* Port list of a network policy rule: (dict "ports" list "protocol" "TCP"). */}}
{{- define "hotpass.netpol.ports" -}}
{{- range .ports }}
- protocol: TCP
  port: {{ . }}
{{- end }}
{{- end -}}

{{/* Container and pod security settings every workload shares. */}}
{{- define "hotpass.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.pod.runAsUser }}
runAsGroup: {{ .Values.pod.runAsGroup }}
fsGroup: {{ .Values.pod.runAsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "hotpass.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.pod.runAsUser }}
runAsGroup: {{ .Values.pod.runAsGroup }}
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "hotpass.validate" -}}
{{- if not .Values.services.gateway.enabled -}}
{{- fail "services.gateway.enabled must be true: every service verifies tokens against the gateway's JWKS and calls other services through it" -}}
{{- end -}}
{{- $minGrace := add .Values.pod.preStopSleepSeconds 21 -}}
{{- if lt (int .Values.pod.terminationGracePeriodSeconds) (int $minGrace) -}}
{{- fail (printf "pod.terminationGracePeriodSeconds (%v) must exceed pod.preStopSleepSeconds plus the 20 s Quarkus shutdown timeout (at least %v)" .Values.pod.terminationGracePeriodSeconds $minGrace) -}}
{{- end -}}
{{- if and (eq .Values.database.cloudnativepg.backup.method "plugin") .Values.database.cloudnativepg.backup.enabled (not .Values.database.cloudnativepg.backup.barmanObjectName) -}}
{{- fail "database.cloudnativepg.backup.barmanObjectName is required when backup.method is plugin" -}}
{{- end -}}
{{- end -}}
