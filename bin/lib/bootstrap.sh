# Sourced by `bin/hotpass up` once every service is ready: makes the local tenant `demo` and an
# administrator API key for it, idempotently, and writes .hotpass/credentials (mode 600) so that
# scripts and people can call the API at once:  source .hotpass/credentials
source "$HOTPASS_ROOT/bin/lib/http.sh"

hotpass_bootstrap() {
  local tenant=${HOTPASS_TENANT:-demo} body key

  # A key from an earlier run that still works is kept.
  if [[ -f $HOTPASS_CREDENTIALS_FILE ]]; then
    key=$(sed -n 's/^HOTPASS_API_KEY=//p' "$HOTPASS_CREDENTIALS_FILE")
    if [[ -n $key ]] && HOTPASS_API_KEY=$key api GET "/api/v1/ingest/datasets?limit=1" >/dev/null && [[ $(api_status) == 200 ]]; then
      info "bootstrap: tenant '$tenant' and its API key are in place"
      return 0
    fi
  fi

  HOTPASS_API_KEY=$HOTPASS_BOOTSTRAP_ADMIN_KEY api POST /api/v1/policy/tenants \
    "{\"id\":\"$tenant\",\"displayName\":\"Demo tenant\"}" >/dev/null
  expect_status 201 409 || die "bootstrap: could not onboard tenant '$tenant'"

  body=$(HOTPASS_API_KEY=$HOTPASS_BOOTSTRAP_ADMIN_KEY api POST "/api/v1/policy/tenants/$tenant/api-keys" \
    '{"name":"local-admin","roles":["tenant-admin"],"scopes":[]}')
  expect_status 201 || die "bootstrap: could not create an API key for tenant '$tenant'"
  key=$(json key <<<"$body")
  [[ -n $key ]] || die "bootstrap: policy-service answered without a key"

  ( umask 077
    cat >"$HOTPASS_CREDENTIALS_FILE" <<CREDS
# Local Hotpass credentials (bin/hotpass up). Use: source .hotpass/credentials
HOTPASS_GATEWAY_URL=$HOTPASS_GATEWAY_URL
HOTPASS_TENANT=$tenant
HOTPASS_API_KEY=$key
CREDS
  )
  info "bootstrap: tenant '$tenant' onboarded; API key written to $(rel "$HOTPASS_CREDENTIALS_FILE")"
}
