# Small HTTP and JSON helpers for bin/lib scripts (curl + python3, both on every machine here).
# api METHOD PATH [BODY] [extra curl args...] → prints the body. The status goes to a file (the
# usual call is body=$(api ...), a subshell), read back by api_status and expect_status.
api() {
  local method=$1 path=$2 body=${3:-} out
  shift 3 2>/dev/null || shift $#
  local args=(-sS -X "$method" -o "$HOTPASS_STATE_DIR/last-response" -w '%{http_code}' \
    -H "X-API-Key: ${HOTPASS_API_KEY:?no API key}")
  [[ " $* " == *"Accept:"* ]] || args+=(-H 'Accept: application/json')
  if [[ -n $body ]]; then
    # JSON unless the caller names another type (-H 'Content-Type: ...' among the extra args).
    [[ " $* " == *"Content-Type:"* ]] || args+=(-H 'Content-Type: application/json')
    args+=(--data-binary "$body")
  fi
  local status
  status=$(curl "${args[@]}" "$@" "$HOTPASS_GATEWAY_URL$path") || status=000
  printf '%s\n' "$status" >"$HOTPASS_STATE_DIR/last-status"
  cat "$HOTPASS_STATE_DIR/last-response" 2>/dev/null || true
}

# The HTTP status of the last api call.
api_status() {
  cat "$HOTPASS_STATE_DIR/last-status" 2>/dev/null || printf '000\n'
}

# json FIELD.PATH < json → the value (lists and objects as JSON); empty when absent.
json() {
  python3 -c '
import json, sys
doc = json.load(sys.stdin)
for part in sys.argv[1].split("."):
    if part == "":
        continue
    if isinstance(doc, list):
        doc = doc[int(part)] if part.lstrip("-").isdigit() and len(doc) > int(part) else None
    elif isinstance(doc, dict):
        doc = doc.get(part)
    else:
        doc = None
    if doc is None:
        break
print("" if doc is None else (json.dumps(doc) if isinstance(doc, (dict, list)) else doc))
' "$1"
}

# expect_status CODE... : fail with the response body unless API_STATUS is one of them.
expect_status() {
  local c API_STATUS
  API_STATUS=$(api_status)
  for c in "$@"; do
    [[ $API_STATUS == "$c" ]] && return 0
  done
  printf 'hotpass: unexpected HTTP %s (wanted %s): %s\n' "$API_STATUS" "$*" \
    "$(head -c 600 "$HOTPASS_STATE_DIR/last-response" 2>/dev/null)" >&2
  return 1
}
