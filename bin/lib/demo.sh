# Sourced by `bin/hotpass demo`: the platform's main job, told through the gateway's public API
# only, with the credentials that `up` bootstrapped. Each step prints its figures; a failing step
# stops the demo with its name. Steps whose services are still being built are said to be missing.
source "$HOTPASS_ROOT/bin/lib/http.sh"

DEMO_STEPS=()
DEMO_TIMES=()
DEMO_NOTES=()

demo_step() {
  local name=$1 t0 t1 note
  shift
  CURRENT_STEP="demo step '$name'"
  printf '\n== %s\n' "$name"
  t0=$(now_ms)
  "$@"
  t1=$(now_ms)
  DEMO_STEPS+=("$name")
  DEMO_TIMES+=("$(fmt_ms $((t1 - t0)))")
  DEMO_NOTES+=("${STEP_NOTE:-}")
  STEP_NOTE=
}

demo_create_dataset() {
  local body
  body=$(api POST /api/v1/ingest/datasets \
    "{\"name\":\"$DEMO_DATASET\",\"profile\":\"organisation\",\"description\":\"Aviation organisations (demo)\",\"rowKey\":[\"registration_number\"]}" \
    -H "Idempotency-Key: demo-$DEMO_DATASET")
  expect_status 201
  DEMO_DATASET_ID=$(json id <<<"$body")
  printf 'dataset %s (id %s), ETag %s\n' "$DEMO_DATASET" "$DEMO_DATASET_ID" "\"v$(json currentVersion <<<"$body")\""
  # The same request again with the same Idempotency-Key answers the first response.
  api POST /api/v1/ingest/datasets \
    "{\"name\":\"$DEMO_DATASET\",\"profile\":\"organisation\",\"description\":\"Aviation organisations (demo)\",\"rowKey\":[\"registration_number\"]}" \
    -H "Idempotency-Key: demo-$DEMO_DATASET" >/dev/null
  expect_status 201
  STEP_NOTE="id $DEMO_DATASET_ID"
}

# The organisations as the generator makes them (demo-orgs-source.csv, the register's source), and
# the tenant's spreadsheet: the same rows with the contact details of every 12th row lost, as
# spreadsheets kept by hand lose them (demo-orgs.csv, what is uploaded).
demo_generate() {
  DEMO_SOURCE="$HOTPASS_STATE_DIR/demo-orgs-source.csv"
  DEMO_FILE="$HOTPASS_STATE_DIR/demo-orgs.csv"
  python3 "$(shared_dir)/datasets/gen_orgs.py" "$DEMO_ROWS" --truth "$HOTPASS_STATE_DIR/demo-truth.csv" >"$DEMO_SOURCE"
  python3 - "$DEMO_SOURCE" "$DEMO_FILE" <<'PY'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as src, open(sys.argv[2], 'w', newline='', encoding='utf-8') as out:
    r = csv.DictReader(src)
    w = csv.DictWriter(out, fieldnames=r.fieldnames)
    w.writeheader()
    for i, row in enumerate(r):
        if i % 12 == 7:
            row['Contact Email'] = ''
            row['Phone'] = ''
        w.writerow(row)
PY
  printf 'generated %s rows (%s bytes) into %s; contact details of every 12th row left out\n' "$DEMO_ROWS" \
    "$(stat -c %s "$DEMO_FILE")" "$(rel "$DEMO_FILE")"
  demo_fixture_sites
  STEP_NOTE="$DEMO_ROWS rows, $DEMO_SITES fixture sites"
}

# Fixture websites: for a few organisations whose contact details the spreadsheet lost, which have
# no duplicate and which the reference register (demo_registry) will not know, a small website is
# written under .hotpass/demo-sites/<slug>/ (a home page with schema.org Organization JSON-LD, a
# contact page with mailto:/tel: links, and a link into /private/, which robots.txt disallows) and
# their Website cell in the uploaded spreadsheet points at it; the other organisations' invented
# websites are left out. Served by python3 -m http.server on 127.0.0.1, the one host
# `bin/hotpass demo` lets enrichment-service crawl.
demo_fixture_sites() {
  DEMO_SITES_DIR="$HOTPASS_STATE_DIR/demo-sites"
  DEMO_SITES_LOG="$HOTPASS_STATE_DIR/demo-sites.log"
  rm -rf "$DEMO_SITES_DIR"
  mkdir -p "$DEMO_SITES_DIR"
  DEMO_SITES_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  DEMO_SITES_URL="http://${HOTPASS_DEMO_FIXTURE_HOST:-127.0.0.1}:$DEMO_SITES_PORT"
  DEMO_SITES=$(python3 - "$DEMO_SOURCE" "$HOTPASS_STATE_DIR/demo-truth.csv" "$DEMO_FILE" "$DEMO_SITES_DIR" "$DEMO_SITES_URL" <<'PY2'
import csv, html, json, os, sys
source, truth, upload, sites, base = sys.argv[1:6]
rows = list(csv.DictReader(open(source, newline='', encoding='utf-8')))
original = {}
for t in csv.DictReader(open(truth, newline='')):
    original[int(t['dup_row'])] = int(t['original_row'])
groups = {}
for i, r in enumerate(rows):
    groups.setdefault(original.get(i, i), []).append(i)
# demo_registry keeps every third group in this order: the fixture organisations are among the others.
in_register = {g for n, g in enumerate(sorted(groups)) if n % 3 == 0}
chosen = []
for g, members in sorted(groups.items()):
    if len(chosen) == 8:
        break
    if g in in_register or len(members) != 1 or members[0] % 12 != 7:
        continue
    chosen.append(members[0])
with open(os.path.join(sites, 'robots.txt'), 'w') as f:
    f.write('# Fixture websites of the Hotpass demo\nUser-agent: *\nDisallow: /private/\n')
os.makedirs(os.path.join(sites, 'private'), exist_ok=True)
sites_of = {}
for i in chosen:
    r = rows[i]
    slug = ''.join(c for c in r['Organisation Name'].lower() if c.isalnum())[:40] or 'org%d' % i
    url = '%s/%s/' % (base, slug)
    sites_of[i] = url
    name, email, phone = r['Organisation Name'].strip(), r['Contact Email'].strip().lower(), r['Phone'].strip()
    org = {'@context': 'https://schema.org', '@type': 'Organization', 'name': name, 'url': url, 'email': email,
           'telephone': phone, 'address': {'@type': 'PostalAddress', 'streetAddress': r['Street Address'].strip(),
                                           'addressLocality': r['City'].strip(), 'addressCountry': 'ZA'}}
    e = html.escape
    os.makedirs(os.path.join(sites, slug), exist_ok=True)
    with open(os.path.join(sites, slug, 'index.html'), 'w', encoding='utf-8') as f:
        f.write('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s</title>'
                '<script type="application/ld+json">%s</script></head><body><h1>%s</h1>'
                '<p><a href="contact.html">Contact us</a> | <a href="/private/%s.html">Staff area</a></p></body></html>\n'
                % (e(name), json.dumps(org), e(name), slug))
    with open(os.path.join(sites, slug, 'contact.html'), 'w', encoding='utf-8') as f:
        f.write('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Contact %s</title></head><body>'
                '<p>Email <a href="mailto:%s">%s</a>, phone <a href="tel:%s">%s</a></p></body></html>\n'
                % (e(name), e(email), e(email), e(phone.replace(' ', '')), e(phone)))
    # Disallowed by robots.txt: a crawler that honours it never sees this address.
    with open(os.path.join(sites, 'private', slug + '.html'), 'w', encoding='utf-8') as f:
        f.write('<!doctype html><html><body><a href="mailto:staff-only@%s.invalid">staff</a></body></html>\n' % slug)
# Only the fixture organisations keep a website, in the spreadsheet and in the register's source
# alike: the generator's invented domains would send the crawler to the internet (or to a DNS
# server that drops some queries, 5 s each).
for path in (upload, source):
    with open(path, newline='', encoding='utf-8') as f:
        reader = csv.DictReader(f)
        fields, out_rows = reader.fieldnames, list(reader)
    for i, r in enumerate(out_rows):
        r['Website'] = sites_of.get(i, '')
    with open(path, 'w', newline='', encoding='utf-8') as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(out_rows)
print(len(chosen))
PY2
)
  # Started here, stopped by hotpass_demo_cleanup when the demo ends (also on failure).
  python3 -m http.server "$DEMO_SITES_PORT" --bind 127.0.0.1 --directory "$DEMO_SITES_DIR" >"$DEMO_SITES_LOG" 2>&1 &
  DEMO_SITES_PID=$!
  local i
  for ((i = 0; i < 50; i++)); do
    [[ $(curl --noproxy '*' -s -I -o /dev/null -w '%{http_code}' "$DEMO_SITES_URL/robots.txt") == 200 ]] && break
    sleep 0.1
  done
  printf 'fixture websites of %s organisations (contact details lost, not in the register) at %s/ (robots.txt disallows /private/);\n' \
    "$DEMO_SITES" "$DEMO_SITES_URL"
  printf 'the other organisations'"'"' invented websites are left out, so nothing is crawled beyond this machine\n'
}

hotpass_demo_cleanup() {
  if [[ -n ${DEMO_SITES_PID:-} ]] && kill -0 "$DEMO_SITES_PID" 2>/dev/null; then
    kill "$DEMO_SITES_PID" 2>/dev/null || true
    wait "$DEMO_SITES_PID" 2>/dev/null || true
  fi
  DEMO_SITES_PID=
}

demo_upload() {
  local body n
  body=$(api POST "/api/v1/ingest/datasets/$DEMO_DATASET_ID/uploads?preview=true" "" \
    -H 'Content-Type: text/csv' -H 'X-File-Name: demo-orgs.csv' --data-binary "@$DEMO_FILE")
  if [[ $(api_status) == 404 || $(api_status) == 405 ]]; then
    printf 'uploads are not served by this build yet (HTTP %s); skipping\n' "$(api_status)"
    STEP_NOTE="not available yet"
    return 0
  fi
  expect_status 200
  python3 -c '
import json, sys
p = json.load(sys.stdin)
print("inferred mapping (%s, delimiter %r):" % (p.get("encoding"), p.get("delimiter")))
for m in p.get("mapping") or []:
    print("  %-22s -> %-22s score %s" % (m.get("column") or m.get("source"), m.get("field"), m.get("score")))
if p.get("unmappedColumns"):
    print("  unmapped columns:", ", ".join(p["unmappedColumns"]))
' <<<"$body" || true
  body=$(api POST "/api/v1/ingest/datasets/$DEMO_DATASET_ID/uploads?mode=backfill" "" \
    -H 'Content-Type: text/csv' -H 'X-File-Name: demo-orgs.csv' --data-binary "@$DEMO_FILE")
  expect_status 200 201
  DEMO_VERSION=$(json version.number <<<"$body")
  DEMO_RUN=$(json runId <<<"$body")
  printf 'stored as version %s: %s rows, %s quarantined (run %s)\n' "$DEMO_VERSION" "$(json version.rowCount <<<"$body")" \
    "$(json version.rowsQuarantined <<<"$body")" "$DEMO_RUN"
  STEP_NOTE="v$DEMO_VERSION: $(json version.rowCount <<<"$body") stored, $(json version.rowsQuarantined <<<"$body") quarantined"
  body=$(api GET "/api/v1/ingest/runs/$DEMO_RUN")
  [[ $(api_status) == 200 ]] && printf 'run: %s\n' "$(head -c 400 <<<"$body")"
  body=$(api GET "/api/v1/ingest/datasets/$DEMO_DATASET_ID/versions/$DEMO_VERSION/quarantine?limit=5")
  if [[ $(api_status) == 200 ]]; then
    n=$(python3 -c 'import json,sys; d=json.load(sys.stdin); items=d.get("items", d) if isinstance(d, dict) else d; print(len(items))' <<<"$body" 2>/dev/null || echo "?")
    printf 'quarantine (first %s): %s\n' "$n" "$(head -c 600 <<<"$body")"
  fi
}

demo_validate() {
  local body id
  if [[ -z ${DEMO_VERSION:-} ]]; then
    STEP_NOTE="skipped (no version)"
    return 0
  fi
  body=$(api POST "/api/v1/contracts/contracts/$DEMO_CONTRACT_ID/activate" "")
  expect_status 200 201 204
  body=$(api POST /api/v1/contracts/validations "{\"datasetId\":\"$DEMO_DATASET_ID\",\"version\":$DEMO_VERSION}")
  expect_status 200 201
  id=$(json id <<<"$body")
  printf 'validation %s: status %s\n' "$id" "$(json status <<<"$body")"
  python3 -c '
import json, sys
v = json.load(sys.stdin)
for r in (v.get("results") or v.get("expectations") or [])[:12]:
    print("  %-40s %-7s failing %s" % (r.get("expectation") or r.get("name") or r.get("id"), "ok" if r.get("success") else "FAIL", r.get("failingCount", r.get("failing"))))
' <<<"$body" || true
  printf 'report: %s/api/v1/contracts/validations/%s/report.html\n' "$HOTPASS_GATEWAY_URL" "$id"
  STEP_NOTE="$(json status <<<"$body")"
}

demo_resolve() {
  local body plan version changes
  if [[ -z ${DEMO_VERSION:-} ]]; then
    STEP_NOTE="skipped (no version)"
    return 0
  fi
  body=$(api POST /api/v1/enrichment/merge-plans "{\"datasetId\":\"$DEMO_DATASET_ID\",\"version\":$DEMO_VERSION}" \
    -H "Idempotency-Key: merge-$DEMO_DATASET_ID-$DEMO_VERSION")
  expect_status 201
  plan=$(json id <<<"$body")
  demo_plan_ready "$plan"
  changes=$DEMO_PLAN_CHANGES
  printf 'merge plan %s: %s proposed changes (upserts fill blanks from duplicates, deletes remove them)\n' "$plan" "$changes"
  demo_commit_plan "$plan" 0.9
  if [[ -z $DEMO_COMMITTED_VERSION ]]; then
    STEP_NOTE="$changes proposed, none >= 0.9"
    return 0
  fi
  version=$DEMO_COMMITTED_VERSION
  # The same commit again is refused: a plan commits at most once.
  api POST "/api/v1/enrichment/plans/$plan/commit" "" -H "If-Match: \"v$DEMO_VERSION\"" >/dev/null
  printf 'committing the plan again: HTTP %s\n' "$(api_status)"
  DEMO_VERSION=$version
  STEP_NOTE="$changes changes, now v$version"
}

demo_validate_again() {
  local body
  [[ -n ${DEMO_VERSION:-} ]] || { STEP_NOTE="skipped"; return 0; }
  body=$(api POST /api/v1/contracts/validations "{\"datasetId\":\"$DEMO_DATASET_ID\",\"version\":$DEMO_VERSION}")
  expect_status 200 201
  printf 'validation of version %s: status %s\n' "$DEMO_VERSION" "$(json status <<<"$body")"
  STEP_NOTE="v$DEMO_VERSION $(json status <<<"$body")"
}

demo_publish() {
  local body status
  [[ -n ${DEMO_VERSION:-} ]] || { STEP_NOTE="skipped"; return 0; }
  # The lineage gate needs the COMPLETE event of the run that wrote the version, which travels
  # through the outbox; a few seconds after the commit it is there.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    body=$(api POST "/api/v1/ingest/datasets/$DEMO_DATASET_ID/versions/$DEMO_VERSION/publish" "")
    status=$(api_status)
    [[ $status == 409 ]] && grep -q 'lineage_missing\|run_not_completed\|no_producing_run' <<<"$body" || break
    sleep 1
  done
  if [[ $status == 409 ]]; then
    printf 'publish of version %s blocked:\n' "$DEMO_VERSION"
    python3 -c 'import json,sys; [print("  %-9s %-22s %s" % (r.get("gate"), r.get("code"), r.get("detail") or "")) for r in json.load(sys.stdin).get("reasons", [])]' <<<"$body"
  fi
  expect_status 200
  local previous
  previous=$(json previous <<<"$body")
  printf 'version %s published (%s); gates: %s\n' "$(json version <<<"$body")" \
    "$([[ -n $previous && $previous != None && $previous != null ]] && echo "previously v$previous" || echo "its first publication")" \
    "$(python3 -c 'import json,sys; print(", ".join("%s %s" % (g["gate"], "pass" if g["pass"] else "fail") for g in json.load(sys.stdin)["gates"]))' <<<"$body")"
  STEP_NOTE="v$DEMO_VERSION published"
}

demo_graph() {
  local body
  body=$(api GET "/marquez/api/v1/lineage?nodeId=dataset:$HOTPASS_TENANT:$DEMO_DATASET&depth=5")
  expect_status 200
  printf 'lineage graph of %s: %s nodes\n' "$DEMO_DATASET" \
    "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("graph", [])))' <<<"$body")"
  api GET "/marquez/api/v1/export/prov?nodeId=dataset:$HOTPASS_TENANT:$DEMO_DATASET&format=turtle" "" \
    -H 'Accept: text/turtle' >"$HOTPASS_STATE_DIR/demo-prov.ttl"
  expect_status 200
  printf 'PROV-O (Turtle, %s lines) written to %s\n' "$(wc -l <"$HOTPASS_STATE_DIR/demo-prov.ttl")" "$(rel "$HOTPASS_STATE_DIR/demo-prov.ttl")"
  STEP_NOTE="graph + PROV-O"
}

demo_audit() {
  local body auditor
  body=$(api POST "/api/v1/policy/tenants/$HOTPASS_TENANT/api-keys" '{"name":"demo-auditor","roles":["auditor"],"scopes":[]}')
  expect_status 201
  auditor=$(json key <<<"$body")
  sleep 3 # the gateway's audit outbox delivers within a few seconds
  body=$(HOTPASS_API_KEY=$auditor api GET /api/v1/policy/audit/verify)
  expect_status 200
  printf 'audit chain of tenant %s: valid=%s, %s entries checked\n' "$HOTPASS_TENANT" "$(json valid <<<"$body")" "$(json entriesChecked <<<"$body")"
  STEP_NOTE="valid=$(json valid <<<"$body")"
}

demo_contract() {
  local body
  body=$(api POST /api/v1/contracts/contracts "name: $DEMO_DATASET
version: 1.0.0
dataset: $DEMO_DATASET
owner: data-stewards
description: What a good organisation record is
fields:
  name:                {type: string, required: true, maxLength: 200}
  email:               {type: string, format: email, mostly: 0.95}
  phone:               {type: string, format: e164, severity: warn}
  registration_number: {type: string, required: true, unique: true}
  fleet_size:          {type: integer, min: 0, max: 500}
expectations:
  - {type: row_count, min: 1}
" -H 'Content-Type: application/yaml')
  expect_status 201
  DEMO_CONTRACT_ID=$(json id <<<"$body")
  printf 'contract %s %s registered (state %s)\n' "$(json name <<<"$body")" "$(json version <<<"$body")" "$(json state <<<"$body")"
  STEP_NOTE="v$(json version <<<"$body")"
}

# A small reference registry, as an official register of organisations would be: about one in three
# of the generated organisations, each with the most complete value of each field found among its
# rows (the generator's duplicates included; --truth maps them), websites written canonically.
# Built from the generator's rows, so it knows contact details the spreadsheet lost. Uploaded as a
# dataset of its own and marked as a registry, matched on registration number or name.
demo_registry() {
  local body reg_id
  DEMO_REGISTRY_FILE="$HOTPASS_STATE_DIR/demo-register.csv"
  python3 - "$DEMO_SOURCE" "$HOTPASS_STATE_DIR/demo-truth.csv" "$DEMO_REGISTRY_FILE" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
original = {}
for t in csv.DictReader(open(sys.argv[2], newline='')):
    original[int(t['dup_row'])] = int(t['original_row'])
groups = {}
for i, r in enumerate(rows):
    groups.setdefault(original.get(i, i), []).append(r)
fields = ['Organisation Name', 'Contact Email', 'Phone', 'Website', 'Street Address', 'City', 'Province', 'Registration No']
def canonical_site(v):
    v = v.strip().rstrip('/')
    if not v:
        return ''
    host = v.split('://', 1)[-1]
    return 'https://' + host.lower()
with open(sys.argv[3], 'w', newline='', encoding='utf-8') as out:
    w = csv.writer(out)
    w.writerow(['name', 'email', 'phone', 'website', 'street', 'city', 'province', 'registration_number'])
    for n, (orig, members) in enumerate(sorted(groups.items())):
        if n % 3:
            continue
        best = {f: max((m[f].strip() for m in members), key=len) for f in fields}
        w.writerow([best['Organisation Name'], best['Contact Email'], best['Phone'], canonical_site(best['Website']),
                    best['Street Address'], best['City'], best['Province'], best['Registration No']])
PY
  DEMO_REGISTRY="$DEMO_DATASET-register"
  body=$(api POST /api/v1/ingest/datasets \
    "{\"name\":\"$DEMO_REGISTRY\",\"profile\":\"organisation\",\"description\":\"Register of aviation organisations (demo reference)\",\"rowKey\":[\"registration_number\"]}")
  expect_status 201
  reg_id=$(json id <<<"$body")
  body=$(api POST "/api/v1/ingest/datasets/$reg_id/uploads?mode=backfill" "" \
    -H 'Content-Type: text/csv' -H 'X-File-Name: demo-register.csv' --data-binary "@$DEMO_REGISTRY_FILE")
  expect_status 200 201
  local stored
  stored=$(json version.rowCount <<<"$body")
  printf 'register %s: %s organisations stored as version %s\n' "$DEMO_REGISTRY" "$stored" "$(json version.number <<<"$body")"
  body=$(api POST /api/v1/enrichment/registries "{\"name\":\"$DEMO_REGISTRY\",\"datasetId\":\"$reg_id\",\"matchOn\":[\"registration_number\",\"name\"],\"reliability\":0.95}")
  expect_status 201
  printf 'marked as reference registry %s (matched on registration_number, name; reliability %s)\n' \
    "$(json name <<<"$body")" "$(json reliability <<<"$body")"
  STEP_NOTE="$stored organisations"
}

# Waits for a plan to finish computing; prints its size and a few changes with their evidence.
demo_plan_ready() {
  local plan=$1 body status i
  for ((i = 0; i < 480; i++)); do
    body=$(api GET "/api/v1/enrichment/plans/$plan")
    status=$(json status <<<"$body")
    [[ $status == running || $status == queued ]] || break
    sleep 0.5
  done
  [[ $status == ready ]] || die "plan $plan ended as '$status': $(json error <<<"$body")"
  DEMO_PLAN_CHANGES=$(json changes <<<"$body")
  body=$(api GET "/api/v1/enrichment/plans/$plan/diff?limit=3")
  expect_status 200
  python3 -c '
import json, sys
d = json.load(sys.stdin)
for it in d.get("items", []):
    ev = it.get("evidence") or []
    print("  #%s %-6s row %-16s %-8s %r -> %r  confidence %.3f" % (it.get("seq"), it.get("op"), it.get("rowId"),
          it.get("field") or "", it.get("oldValue"), it.get("newValue"), it.get("confidence") or 0))
    for e in ev[:2]:
        if e.get("sourceKind"):
            print("      evidence: %s %s (%s)" % (e.get("sourceKind"), e.get("source"), e.get("extractor")))
        else:
            print("      evidence: %s" % json.dumps(e)[:160])
' <<<"$body" || true
}

# Approves a plan's changes at or above a confidence and commits them against DEMO_VERSION with
# If-Match, as a steward would. Sets DEMO_COMMITTED_VERSION, empty when nothing reached the
# threshold. Call it as a statement (not in a condition), so an unexpected answer stops the demo.
demo_commit_plan() {
  local plan=$1 threshold=$2 body
  DEMO_COMMITTED_VERSION=
  api PATCH "/api/v1/enrichment/plans/$plan" "{\"approveAbove\":$threshold}" >/dev/null
  expect_status 200
  body=$(api POST "/api/v1/enrichment/plans/$plan/commit" "" -H "If-Match: \"v$DEMO_VERSION\"" \
    -H "Idempotency-Key: commit-$plan")
  if [[ $(api_status) == 422 && $(json code <<<"$body") == nothing_approved ]]; then
    printf 'no change at confidence %s or above to commit\n' "$threshold"
    return 0
  fi
  expect_status 200 201
  DEMO_COMMITTED_VERSION=$(json committedVersion <<<"$body")
  printf 'committed with If-Match "v%s": dataset is now at version %s\n' "$DEMO_VERSION" "$DEMO_COMMITTED_VERSION"
}

demo_enrich() {
  local body plan version
  [[ -n ${DEMO_VERSION:-} && -n ${DEMO_REGISTRY:-} ]] || { STEP_NOTE="skipped"; return 0; }
  body=$(api POST /api/v1/enrichment/plans \
    "{\"datasetId\":\"$DEMO_DATASET_ID\",\"version\":$DEMO_VERSION,\"fields\":[\"email\",\"phone\",\"website\",\"street\"],\"sources\":[\"registry:$DEMO_REGISTRY\"]}" \
    -H "Idempotency-Key: enrich-$DEMO_DATASET_ID-$DEMO_VERSION")
  expect_status 201
  plan=$(json id <<<"$body")
  demo_plan_ready "$plan"
  printf 'enrichment plan %s from registry %s: %s proposed changes\n' "$plan" "$DEMO_REGISTRY" "$DEMO_PLAN_CHANGES"
  demo_commit_plan "$plan" 0.8
  if [[ -z $DEMO_COMMITTED_VERSION ]]; then
    STEP_NOTE="$DEMO_PLAN_CHANGES proposed, none >= 0.8"
    return 0
  fi
  version=$DEMO_COMMITTED_VERSION
  DEMO_VERSION=$version
  STEP_NOTE="$DEMO_PLAN_CHANGES changes, now v$version"
}

# Enrichment from the organisations' own websites: every row's website is researched (robots.txt
# first, politely); the fixture sites give the contact details the spreadsheet lost, with the page
# each came from as evidence.
demo_enrich_websites() {
  local body plan version website_changes
  [[ -n ${DEMO_VERSION:-} ]] || { STEP_NOTE="skipped"; return 0; }
  body=$(api POST /api/v1/enrichment/plans \
    "{\"datasetId\":\"$DEMO_DATASET_ID\",\"version\":$DEMO_VERSION,\"fields\":[\"email\",\"phone\"],\"sources\":[\"website\"]}" \
    -H "Idempotency-Key: websites-$DEMO_DATASET_ID-$DEMO_VERSION")
  expect_status 201
  plan=$(json id <<<"$body")
  demo_plan_ready "$plan"
  body=$(api GET "/api/v1/enrichment/plans/$plan/diff?limit=500")
  expect_status 200
  website_changes=$(python3 -c '
import json, sys
base = sys.argv[1]
items = json.load(sys.stdin).get("items", [])
print(sum(1 for it in items if any(str(e.get("url") or e.get("source") or "").startswith(base) for e in it.get("evidence") or [])))
' "$DEMO_SITES_URL" <<<"$body")
  printf 'website plan %s: %s proposed changes, %s of them evidenced by pages of %s\n' "$plan" "$DEMO_PLAN_CHANGES" \
    "$website_changes" "$DEMO_SITES_URL"
  printf 'fixture server: %s requests for robots.txt, %s pages fetched, %s requests under /private/ (disallowed)\n' \
    "$(grep -c '"GET /robots.txt' "$DEMO_SITES_LOG" || true)" "$(grep '"GET /' "$DEMO_SITES_LOG" | grep -vc 'robots.txt\|/private/' || true)" \
    "$(grep -c '"GET /private/' "$DEMO_SITES_LOG" || true)"
  if ((DEMO_SITES > 0 && website_changes == 0)); then
    printf 'no change came from the fixture sites: was enrichment-service started by this demo (it alone may crawl %s)?\n' \
      "${HOTPASS_DEMO_FIXTURE_HOST:-127.0.0.1}" >&2
    return 1
  fi
  if ((DEMO_PLAN_CHANGES == 0)); then
    STEP_NOTE="no changes"
    return 0
  fi
  # One website is one source: its values are approved by hand here, as a steward would after
  # reading the evidence, rather than by a confidence threshold.
  demo_commit_plan "$plan" 0.0
  [[ -n $DEMO_COMMITTED_VERSION ]] || { printf 'hotpass: the website plan approved nothing\n' >&2; return 1; }
  version=$DEMO_COMMITTED_VERSION
  DEMO_VERSION=$version
  STEP_NOTE="$website_changes from websites, now v$version"
}

demo_lineage() {
  local run now body count
  run=$(python3 -c 'import uuid; print(uuid.uuid4())')
  for state in START COMPLETE; do
    now=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
    api POST /marquez/api/v1/lineage "{\"eventType\":\"$state\",\"eventTime\":\"$now\",\"producer\":\"https://hotpass.dev/demo\",\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/\$defs/RunEvent\",\"run\":{\"runId\":\"$run\"},\"job\":{\"namespace\":\"$HOTPASS_TENANT\",\"name\":\"demo-import\"},\"outputs\":[{\"namespace\":\"$HOTPASS_TENANT\",\"name\":\"$DEMO_DATASET\"}]}" >/dev/null
    expect_status 201
  done
  body=$(api GET "/marquez/api/v1/events/lineage?limit=1000")
  expect_status 200
  count=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["events"]))' <<<"$body")
  printf 'run %s recorded (START, COMPLETE); %s lineage events visible to tenant %s\n' "$run" "$count" "$HOTPASS_TENANT"
  STEP_NOTE="$count events"
}

demo_isolation() {
  api GET "/api/v1/ingest/datasets/$DEMO_DATASET_ID" "" -H "X-Tenant: someone-else" >/dev/null
  expect_status 403
  HOTPASS_API_KEY=hp_notakey0000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA api GET /api/v1/ingest/datasets >/dev/null
  expect_status 401
  printf 'another tenant via X-Tenant: 403 tenant_mismatch; an unknown key: 401\n'
  STEP_NOTE="403 / 401 as expected"
}

shared_dir() {
  local d
  for d in "${HOTPASS_SHARED:-}" "$HOTPASS_ROOT/../shared"; do
    [[ -n $d && -f $d/datasets/gen_orgs.py ]] && { printf '%s\n' "$d"; return 0; }
  done
  die "cannot find shared/datasets/gen_orgs.py (set HOTPASS_SHARED to the shared folder)"
}

hotpass_demo() {
  DEMO_ROWS=${1:-10000}
  # shellcheck disable=SC1090
  source "$HOTPASS_CREDENTIALS_FILE"
  export HOTPASS_API_KEY HOTPASS_TENANT
  DEMO_DATASET="orgs-$(date -u +%Y%m%d-%H%M%S)"
  printf 'Hotpass demo: tenant %s, dataset %s, %s rows, through %s only\n' \
    "$HOTPASS_TENANT" "$DEMO_DATASET" "$DEMO_ROWS" "$HOTPASS_GATEWAY_URL"

  demo_step "1. create the dataset" demo_create_dataset
  demo_step "2. generate messy rows" demo_generate
  demo_step "3. preview and upload" demo_upload
  demo_step "4. register a contract" demo_contract
  demo_step "5. validate the version" demo_validate
  demo_step "6. resolve duplicates, commit" demo_resolve
  demo_step "6a. a reference registry" demo_registry
  demo_step "6b. enrich from it, commit" demo_enrich
  demo_step "6c. enrich from websites, commit" demo_enrich_websites
  demo_step "6d. validate the new version" demo_validate_again
  demo_step "6e. publish the version" demo_publish
  demo_step "7. record and read lineage" demo_lineage
  demo_step "8. lineage graph and PROV-O" demo_graph
  demo_step "9. verify the audit chain" demo_audit
  demo_step "10. tenant isolation" demo_isolation

  printf '\n%-32s %-10s %s\n' step time result
  local i
  for i in "${!DEMO_STEPS[@]}"; do
    printf '%-32s %-10s %s\n' "${DEMO_STEPS[$i]}" "${DEMO_TIMES[$i]}" "${DEMO_NOTES[$i]}"
  done
  printf 'Call the API yourself:  source %s && curl -H "X-API-Key: $HOTPASS_API_KEY" %s/api/v1/ingest/datasets\n' \
    "$(rel "$HOTPASS_CREDENTIALS_FILE")" "$HOTPASS_GATEWAY_URL"
  printf 'Or look in the web console:  %s/console/#/datasets/%s  (sign in with HOTPASS_API_KEY from %s)\n' \
    "$HOTPASS_GATEWAY_URL" "${DEMO_DATASET_ID:-}" "$(rel "$HOTPASS_CREDENTIALS_FILE")"
}
