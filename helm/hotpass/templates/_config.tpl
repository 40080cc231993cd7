{{/*
The environment of one service, as a YAML map: the HOTPASS_* (and a few QUARKUS_*) variables the
service reads (see docs/reference/configuration.md). Its ConfigMap holds exactly this, and the
Deployment carries its checksum so that a change rolls the pods.
Takes (dict "root" $ "key" "ingest" "svc" $svc).
*/}}
{{- define "hotpass.svc.configEnv" -}}
{{- $r := .root -}}
{{- $s := .svc -}}
{{- $k0 := .key -}}
{{- $ctx := . -}}
{{- $K := upper $k0 }}
{{- $gatewayUrl := include "hotpass.gatewayUrl" $r }}
{{- $env := dict }}
{{- $_ := set $env (printf "HOTPASS_%s_PORT" $K) (toString $s.port) }}
{{- $_ := set $env (printf "HOTPASS_%s_DB_NAME" $K) $s.database.name }}
{{- $_ := set $env (printf "HOTPASS_%s_DB_URL" $K) (printf "%s/%s%s" (include "hotpass.dbServerUrl" $r) $s.database.name $r.Values.database.external.urlParameters) }}
{{- $_ := set $env "HOTPASS_DB_URL" (include "hotpass.dbServerUrl" $r) }}
{{- $_ := set $env "HOTPASS_DB_BOOTSTRAP" (toString $r.Values.database.bootstrap) }}
{{- $_ := set $env "HOTPASS_DB_POOL_MAX" (toString $r.Values.database.poolMax) }}
{{- $_ := set $env "HOTPASS_LOG_JSON" (toString $r.Values.config.logJson) }}
{{- $_ := set $env "HOTPASS_OUTBOX_POLL_INTERVAL" $r.Values.config.outboxPollInterval }}
{{- $_ := set $env "HOTPASS_OTEL_DISABLED" (toString (not $r.Values.otel.enabled)) }}
{{- if $r.Values.otel.enabled }}
{{- $_ := set $env "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT" $r.Values.otel.endpoint }}
{{- $_ := set $env "QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL" $r.Values.otel.protocol }}
{{- end }}
{{- if eq $k0 "gateway" }}
{{- range $uk, $up := $r.Values.services }}
{{- if and $up.enabled (ne $uk "gateway") }}
{{- $_ := set $env (printf "HOTPASS_%s_URL" (upper $uk)) (printf "http://%s:%v" (include "hotpass.svc.fullname" (dict "root" $r "svc" $up)) $up.port) }}
{{- end }}
{{- end }}
{{- $sk := $r.Values.gateway.signingKey }}
{{- $_ := set $env "HOTPASS_GATEWAY_SIGNING_KEY" (printf "/etc/hotpass/signing/current/%s" $sk.key) }}
{{- if and $sk.previousPublicKeysSecret $sk.previousPublicKeys }}
{{- $locations := list }}
{{- range $sk.previousPublicKeys }}{{ $locations = append $locations (printf "/etc/hotpass/signing/previous/%s" .) }}{{ end }}
{{- $_ := set $env "HOTPASS_GATEWAY_SIGNING_PREVIOUS_PUBLIC_KEY_LOCATIONS" (join "," $locations) }}
{{- end }}
{{- $_ := set $env "HOTPASS_GATEWAY_TOKEN_TTL" $r.Values.gateway.tokenTtl }}
{{- if or $r.Values.gateway.ingress.enabled $r.Values.gateway.httpRoute.enabled }}
{{- /* Behind the Ingress or Gateway API route, TLS ends at the proxy, which says so in X-Forwarded-Proto (HSTS follows it). */}}
{{- $_ := set $env "HOTPASS_GATEWAY_TRUST_FORWARDED_PROTO" "true" }}
{{- end }}
{{- $_ := set $env "HOTPASS_OIDC_ENABLED" (toString $r.Values.keycloak.enabled) }}
{{- if $r.Values.keycloak.enabled }}
{{- $_ := set $env "HOTPASS_OIDC_ISSUER" (include "hotpass.keycloakIssuer" $r) }}
{{- $_ := set $env "HOTPASS_GATEWAY_OIDC_AUDIENCES" $r.Values.keycloak.audience }}
{{- $_ := set $env "HOTPASS_GATEWAY_OIDC_CLIENT_ID" $r.Values.keycloak.audience }}
{{- end }}
{{- $_ := set $env "HOTPASS_GATEWAY_RATE_LIMIT_STORE" (ternary "redis" "memory" $r.Values.redis.enabled) }}
{{- if $r.Values.redis.enabled }}
{{- $_ := set $env "HOTPASS_REDIS_URL" $r.Values.redis.hosts }}
{{- end }}
{{- else }}
{{- $_ := set $env "HOTPASS_GATEWAY_URL" $gatewayUrl }}
{{- $_ := set $env "HOTPASS_GATEWAY_JWKS_URL" (printf "%s/.well-known/jwks.json" $gatewayUrl) }}
{{- $_ := set $env "HOTPASS_MAX_BODY_SIZE" $r.Values.config.maxBodySize }}
{{- end }}
{{- if not (has $k0 (list "gateway" "lineage")) }}
{{- /* OpenLineage events leave through each service's outbox and reach lineage-service through the gateway. */}}
{{- $_ := set $env "HOTPASS_LINEAGE_EVENTS_URL" (printf "%s/marquez/api/v1/lineage" $gatewayUrl) }}
{{- end }}
{{- if and (eq $k0 "policy") $r.Values.keycloak.enabled }}
{{- $_ := set $env "HOTPASS_POLICY_KEYCLOAK_URL" (include "hotpass.keycloakUrl" $r) }}
{{- $_ := set $env "HOTPASS_POLICY_KEYCLOAK_REALM" $r.Values.keycloak.realm }}
{{- $_ := set $env "HOTPASS_POLICY_KEYCLOAK_CLIENT_ID" $r.Values.keycloak.adminClientId }}
{{- end }}
{{- $launcher := include "hotpass.svc.runnerLauncher" $ctx }}
{{- $_ := set $env "HOTPASS_RUNNERS_MODE" (ternary "kubernetes" "in-process" (eq $launcher "kubernetes")) }}
{{- if $s.runners.enabled }}
{{- $_ := set $env "HOTPASS_RUNNERS_MAX_CONCURRENT" (toString $s.runners.maxConcurrent) }}
{{- end }}
{{- if eq $launcher "kubernetes" }}
{{- $_ := set $env "HOTPASS_RUNNERS_IMAGE" (include "hotpass.svc.image" $ctx) }}
{{- $_ := set $env "HOTPASS_RUNNERS_SERVICE_ACCOUNT" (include "hotpass.svc.runnerServiceAccountName" $ctx) }}
{{- $_ := set $env "HOTPASS_RUNNERS_INSTANCE" $r.Release.Name }}
{{- $_ := set $env "HOTPASS_RUNNERS_NAME_LABEL" (printf "%s-runner" $s.imageName) }}
{{- /* Runner Jobs: resources (the service's own unless set), the pods' user, /tmp size and deadline. */}}
{{- $res := $s.runners.resources | default $s.resources }}
{{- $_ := set $env "HOTPASS_RUNNERS_REQUESTS_CPU" (toString $res.requests.cpu) }}
{{- $_ := set $env "HOTPASS_RUNNERS_REQUESTS_MEMORY" (toString $res.requests.memory) }}
{{- $_ := set $env "HOTPASS_RUNNERS_LIMITS_CPU" (toString $res.limits.cpu) }}
{{- $_ := set $env "HOTPASS_RUNNERS_LIMITS_MEMORY" (toString $res.limits.memory) }}
{{- $_ := set $env "HOTPASS_RUNNERS_RUN_AS_USER" (toString $r.Values.pod.runAsUser) }}
{{- $_ := set $env "HOTPASS_RUNNERS_RUN_AS_GROUP" (toString $r.Values.pod.runAsGroup) }}
{{- $_ := set $env "HOTPASS_RUNNERS_TMP_SIZE_LIMIT" ($s.tmpSizeLimit | default $r.Values.pod.tmpSizeLimit) }}
{{- $_ := set $env "HOTPASS_RUNNERS_ACTIVE_DEADLINE_SECONDS" (toString ($s.runners.activeDeadlineSeconds | default 21600)) }}
{{- end }}
{{- range $k, $v := $r.Values.config.extraEnv }}{{ $_ := set $env $k (toString $v) }}{{ end }}
{{- range $k, $v := $s.env }}{{ $_ := set $env $k (toString $v) }}{{ end }}
{{- toYaml $env -}}
{{- end -}}
