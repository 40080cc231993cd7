// Enrichment and merge plans: the proposed changes as a reviewable diff with evidence and
// confidence, approve/reject per change or by threshold, a preview of the approved changes
// against the dataset's contract (what-if), commit (412 explained, with a rebase; a refusal
// because error-severity expectations would fail explained, with a confirmed override), and for
// merge plans the duplicate clusters side by side.
import { get, post, patch, call, enc, uuid } from '../api.js';
import { h, append, clear, table, num, pct, badge, field, errorBox, stat, announce, when } from '../dom.js';
import { confidence } from '../charts.js';
import { observed, samples } from './validation.js';
import { go } from '../app.js';

// A what-if streams the whole changed version through contracts-service, and a commit runs one
// first: enrichment allows it 120 s (hotpass.enrichment.contracts.timeout), so wait a little longer.
const CONTRACT_CHECK_MS = 150000;

export async function render(main, params, ctx) {
  if (params.id) return renderPlan(main, params.id, ctx);
  return renderIndex(main);
}

async function renderIndex(main) {
  const query = new URLSearchParams((location.hash.split('?')[1]) || '');
  append(main, h('h1', {}, 'Enrichment plans'),
    h('p', {}, 'A plan proposes better values (or, for a merge plan, how to fold duplicates together) with evidence for each; nothing changes until you approve changes and commit.'));
  const datasets = (await get('/api/v1/ingest/datasets?limit=200')).items || [];
  const registries = await get('/api/v1/enrichment/registries').catch(() => []);
  const dsSelect = h('select', { id: 'plan-dataset' }, datasets.filter((d) => d.currentVersion > 0)
    .map((d) => h('option', { value: d.id, selected: d.id === query.get('dataset') }, `${d.name} (v${d.currentVersion})`)));
  const fieldsInput = h('input', { id: 'plan-fields', value: 'phone,email,website' });
  const sources = [...(Array.isArray(registries) ? registries : registries.items || []).map((r) => `registry:${r.name}`), 'website'];
  const sourceBoxes = sources.map((s) => h('label', { class: 'hint' }, h('input', { type: 'checkbox', value: s, checked: s !== 'website' }), ` ${s} `));
  const feedback = h('div');
  const form = h('form', { class: 'panel', 'aria-labelledby': 'new-plan' },
    h('h2', { id: 'new-plan' }, 'Propose enrichment'),
    field('Dataset', dsSelect), field('Fields to improve', fieldsInput, 'Comma-separated profile fields.'),
    h('fieldset', {}, h('legend', {}, 'Sources'), sourceBoxes),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create plan'),
      h('button', { type: 'button', class: 'secondary', onclick: () => merge() }, 'Find duplicates instead')), feedback);
  const version = () => (datasets.find((d) => d.id === dsSelect.value) || {}).currentVersion;
  async function merge() {
    clear(feedback);
    try {
      const res = await post('/api/v1/enrichment/merge-plans', { datasetId: dsSelect.value, version: version() }, { headers: { 'Idempotency-Key': uuid() } });
      location.hash = `#/plans/${res.data.id}`;
    } catch (err) { append(feedback, errorBox(err)); }
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(feedback);
    try {
      const res = await post('/api/v1/enrichment/plans', {
        datasetId: dsSelect.value, version: version(),
        fields: fieldsInput.value.split(',').map((s) => s.trim()).filter(Boolean),
        sources: sourceBoxes.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
      }, { headers: { 'Idempotency-Key': uuid() } });
      location.hash = `#/plans/${res.data.id}`;
    } catch (err) { append(feedback, errorBox(err)); }
  });
  const planId = h('input', { id: 'open-plan-id', size: 40 });
  const open = h('form', { class: 'panel row' }, field('Plan id', planId), h('button', { type: 'submit' }, 'Open plan'));
  open.addEventListener('submit', (e) => { e.preventDefault(); if (planId.value.trim()) location.hash = `#/plans/${planId.value.trim()}`; });
  append(main, datasets.length ? form : h('p', { class: 'hint' }, 'Upload a dataset first.'), open,
    await recentPlans(query.get('dataset'), datasets));
}

const STATUS_KIND = { ready: 'warn', committed: 'ok', failed: 'bad', running: 'neutral' };

/** The latest plans (of one dataset when the page was opened for one), each a link to its review. */
async function recentPlans(datasetId, datasets) {
  const names = new Map(datasets.map((d) => [d.id, d.name]));
  const q = datasetId ? `?datasetId=${enc(datasetId)}&limit=20` : '?limit=20';
  const page = await get(`/api/v1/enrichment/plans${q}`);
  const plans = page.items || [];
  return h('section', { 'aria-labelledby': 'recent-plans' },
    h('h2', { id: 'recent-plans' }, datasetId ? `Plans of ${names.get(datasetId) || 'this dataset'}` : 'Recent plans'),
    table('Plans, newest first', [
      { label: 'Plan', value: (p) => h('a', { href: `#/plans/${p.id}` }, `${p.kind === 'merge' ? 'Merge' : 'Enrichment'} ${p.id.slice(0, 8)}`) },
      { label: 'Dataset', value: (p) => names.get(p.datasetId) || p.datasetId.slice(0, 8) },
      { label: 'From', value: (p) => `v${p.version}` },
      { label: 'Status', value: (p) => badge(p.status, STATUS_KIND[p.status] || 'neutral') },
      { label: 'Changes', num: true, value: (p) => num(p.changes) },
      { label: 'Committed as', value: (p) => (p.committedVersion ? `v${p.committedVersion}` : '') },
      { label: 'Created', value: (p) => new Date(p.createdAt).toLocaleString() },
    ], plans, 'No plans yet.'),
    page.nextCursor ? h('p', { class: 'hint' }, 'Showing the latest 20.') : null);
}

async function renderPlan(main, id, ctx) {
  let res = await call('GET', `/api/v1/enrichment/plans/${enc(id)}`);
  const head = h('div', { id: 'plan-head' });
  append(main, h('h1', {}, 'Plan ', h('span', { class: 'hint' }, id.slice(0, 8))), head);
  while (res.data.status === 'running' && !ctx.stale()) {
    clear(head);
    const p = res.data.progress || {};
    append(head, h('p', {}, `Computing… ${num(p.rowsDone)} of ${num(p.rowsTotal)} rows`),
      h('progress', { max: p.rowsTotal || 1, value: p.rowsDone || 0, 'aria-label': 'Plan progress' }));
    await new Promise((r) => setTimeout(r, 800));
    res = await call('GET', `/api/v1/enrichment/plans/${enc(id)}`);
  }
  if (ctx.stale()) return;
  const plan = res.data;
  const ds = await get(`/api/v1/ingest/datasets/${plan.datasetId}`).catch(() => ({ id: plan.datasetId, name: plan.datasetId }));
  clear(head);
  append(head,
    h('p', {}, h('a', { href: `#/datasets/${ds.id}` }, `← ${ds.name}`)),
    h('div', { class: 'stats' },
      stat('Kind', plan.kind), stat('Status', plan.status, 'plan-status'), stat('Computed from', `v${plan.version}`),
      stat('Proposed changes', num(plan.changes)), stat('Committed as', plan.committedVersion ? `v${plan.committedVersion}` : '—', 'plan-committed')),
    h('p', { class: 'hint' }, `Created by ${plan.createdBy} ${when(plan.createdAt)}; fields ${(plan.fields || []).join(', ') || '—'}; sources ${(plan.sources || []).join(', ') || '—'}`),
    plan.rebasedFrom ? h('p', {}, 'Rebased from ', h('a', { href: `#/plans/${plan.rebasedFrom}` }, plan.rebasedFrom.slice(0, 8))) : null,
    plan.contractOverride ? overridden(plan.contractOverride) : null,
    plan.error ? h('p', { class: 'error', role: 'alert' }, `The plan failed: ${plan.error.code} — ${plan.error.detail}`) : null);
  if (plan.status === 'failed') return;
  const diff = await get(`/api/v1/enrichment/plans/${plan.id}/diff?limit=500`);
  const items = diff.items || [];
  const feedback = h('div', { id: 'plan-feedback', 'aria-live': 'polite' });
  const editable = plan.status === 'ready';
  const threshold = h('input', { type: 'number', id: 'threshold', min: 0, max: 1, step: 0.01, value: 0.9 });
  const decide = async (body, message) => {
    clear(feedback);
    try {
      await patch(`/api/v1/enrichment/plans/${plan.id}`, body);
      announce(message);
      go(location.hash);
    } catch (err) { append(feedback, errorBox(err)); }
  };
  const approved = items.filter((i) => i.decision === 'approved').length;
  if (editable) {
    const previewRegion = h('div', { id: 'what-if-result' });
    const previewButton = h('button', { type: 'button', class: 'secondary', id: 'what-if', onclick: () => preview() }, 'Preview against the contract');
    const preview = () => whatIf(plan, previewRegion, previewButton);
    append(main, h('div', { class: 'panel' },
      h('h2', {}, 'Decide'),
      h('div', { class: 'row' }, field('Confidence threshold', threshold, '0 to 1'),
        h('button', { type: 'button', id: 'approve-above', onclick: () => decide({ approveAbove: Number(threshold.value) }, 'Changes at or above the threshold approved') }, 'Approve all at or above'),
        h('button', { type: 'button', class: 'secondary', id: 'reject-below', onclick: () => decide({ rejectBelow: Number(threshold.value) }, 'Changes below the threshold rejected') }, 'Reject all below')),
      h('p', {}, `${approved} of ${items.length} changes approved.`),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'commit', disabled: approved === 0, onclick: () => commit(plan, feedback, { approved, preview }) }, `Commit ${approved} approved change${approved === 1 ? '' : 's'}`),
        previewButton),
      h('p', { class: 'hint' }, 'The preview checks the version the commit would write against the dataset\'s active contract; nothing is committed. A commit that would fail an error-severity expectation is refused unless you override it.'),
      feedback, previewRegion));
  } else {
    append(main, feedback, plan.committedVersion ? h('p', { class: 'ok' }, `Committed as version ${plan.committedVersion}. `,
      h('a', { href: `#/lineage/${enc(ds.name)}` }, 'See it in the lineage picture')) : null);
  }
  append(main, h('h2', {}, 'Proposed changes'), table('Each proposed change with its evidence and confidence', [
    { label: '#', num: true, value: (c) => c.seq },
    { label: 'Row', value: (c) => c.rowId },
    { label: 'Change', value: (c) => (c.op === 'delete' ? h('span', {}, badge('delete', 'bad'), ` ${c.oldValue ?? ''}`)
      : h('span', {}, h('strong', {}, c.field), ': ', h('del', {}, c.oldValue ?? '∅'), ' → ', h('ins', {}, c.newValue ?? '∅'))) },
    { label: 'Confidence', value: (c) => confidence(c.confidence) },
    { label: 'Evidence', value: (c) => evidence(c.evidence) },
    { label: 'Decision', value: (c) => h('span', {}, badge(c.decision || 'pending', c.decision === 'approved' ? 'ok' : c.decision === 'rejected' ? 'bad' : 'neutral'),
      editable ? h('span', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Approve change ${c.seq}`, onclick: () => decide({ decisions: [{ seq: c.seq, decision: 'approved' }] }, `Change ${c.seq} approved`) }, 'Approve'),
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Reject change ${c.seq}`, onclick: () => decide({ decisions: [{ seq: c.seq, decision: 'rejected' }] }, `Change ${c.seq} rejected`) }, 'Reject')) : null) },
  ], items, 'This plan proposes no changes.'));
  if (plan.kind === 'merge' && items.length) append(main, await clusters(plan, items));
}

function evidence(list) {
  const items = Array.isArray(list) ? list : list ? [list] : [];
  if (!items.length) return '—';
  return h('details', {}, h('summary', {}, `${items.length} item${items.length === 1 ? '' : 's'}`),
    h('ul', {}, items.map((e) => h('li', {},
      e.url ? h('a', { href: e.url, rel: 'noopener noreferrer', target: '_blank' }, e.url) : null,
      e.source ? ` ${e.source}` : '', e.kind ? ` ${e.kind}` : '',
      e.snippet ? h('q', {}, e.snippet) : '',
      e.cluster ? ` cluster ${e.cluster.join(', ')}; kept ${e.survivor}` : '',
      e.links ? h('ul', {}, e.links.map((l) => h('li', {}, `${l.left ?? l.a ?? ''} ↔ ${l.right ?? l.b ?? ''} p=${Number(l.probability).toFixed(3)}`))) : null,
      !e.url && !e.cluster && !e.snippet ? h('pre', {}, JSON.stringify(e, null, 1)) : null))));
}

async function clusters(plan, items) {
  const groups = new Map();
  for (const c of items) {
    const ev = (Array.isArray(c.evidence) ? c.evidence : []).find((e) => e.cluster);
    if (!ev) continue;
    const key = ev.cluster.join('|');
    if (!groups.has(key)) groups.set(key, { ids: ev.cluster, survivor: ev.survivor, changes: [] });
    groups.get(key).changes.push(c);
  }
  const rows = new Map();
  try {
    const page = await get(`/api/v1/ingest/datasets/${plan.datasetId}/versions/${plan.version}/rows?limit=1000`);
    for (const r of page.items || []) rows.set(r._rowId, r);
  } catch { /* values are optional here */ }
  const shown = [...groups.values()].slice(0, 30);
  return h('section', { 'aria-labelledby': 'clusters-heading' }, h('h2', { id: 'clusters-heading' }, 'Duplicate clusters'),
    h('p', { class: 'hint' }, `${groups.size} cluster${groups.size === 1 ? '' : 's'}${groups.size > shown.length ? `, first ${shown.length} shown` : ''}; the kept row is first.`),
    shown.map((g) => h('div', { class: 'panel' }, h('div', { class: 'side-by-side' },
      [g.survivor, ...g.ids.filter((x) => x !== g.survivor)].map((rid) => {
        const r = rows.get(rid) || {};
        return h('div', { class: 'card' }, h('h3', {}, rid, ' ', badge(rid === g.survivor ? 'kept' : 'duplicate', rid === g.survivor ? 'ok' : 'warn')),
          h('dl', {}, ['name', 'email', 'phone', 'website', 'city', 'registration_number'].filter((f) => r[f] !== undefined)
            .map((f) => [h('dt', {}, f), h('dd', {}, r[f] === null ? '∅' : String(r[f]))])));
      })))));
}

/** The override recorded on a plan committed over its contract: who, when, what. */
function overridden(o) {
  return h('p', { class: 'warn', id: 'plan-override' },
    `Committed over contract ${o.contract} ${o.contractVersion}: ${(o.expectations || []).join(', ')} overridden by ${o.by} ${when(o.at)}.`);
}

/**
 * The what-if of the plan's approved changes (GET …/what-if): which expectations of the dataset's
 * contract the committed version would fail, error-severity ones first and marked as blocking.
 */
async function whatIf(plan, region, button) {
  clear(region);
  button.disabled = true;
  region.setAttribute('aria-busy', 'true');
  append(region, h('p', { class: 'hint' }, 'Checking the approved changes against the contract…'));
  try {
    const w = await get(`/api/v1/enrichment/plans/${enc(plan.id)}/what-if`, { timeoutMs: CONTRACT_CHECK_MS });
    clear(region);
    append(region, whatIfReport(w));
    announce(whatIfSummary(w));
  } catch (err) {
    clear(region);
    append(region, errorBox(err));
    announce(`The preview could not be made: ${err.message}`);
  } finally {
    region.removeAttribute('aria-busy');
    button.disabled = false;
  }
}

const plural = (n, word) => `${num(n)} ${word}${n === 1 ? '' : 's'}`;

function whatIfSummary(w) {
  if (!w.contractApplies) return 'Preview: the dataset has no active contract; the commit is not checked.';
  const errors = (w.failedErrors || []).length;
  const warnings = (w.failedWarnings || []).length;
  if (errors) return `Preview: committing would fail ${plural(errors, 'error-severity expectation')}${warnings ? ` and ${plural(warnings, 'warning')}` : ''}; the commit will be refused unless overridden.`;
  if (warnings) return `Preview: committing would fail ${plural(warnings, 'warning-severity expectation')} only; the commit goes ahead.`;
  return 'Preview: every expectation of the contract would pass.';
}

function whatIfReport(w) {
  const heading = h('h2', { id: 'what-if-heading' }, 'Preview against the contract');
  const section = (...children) => h('section', { class: 'panel', 'aria-labelledby': 'what-if-heading' }, heading, children);
  if (!w.contractApplies) {
    return section(h('p', { id: 'what-if-verdict' }, `The dataset has no active contract: there is nothing to check, and committing the ${plural(w.approvedChanges, 'approved change')} will not be refused.`));
  }
  const r = w.report || {};
  const c = r.contract || {};
  const s = r.summary || {};
  const ch = r.changes || {};
  const errors = w.failedErrors || [];
  const warnings = w.failedWarnings || [];
  const failing = (r.expectations || []).filter((e) => !e.success)
    .sort((a, b) => (a.severity === 'error' ? 0 : 1) - (b.severity === 'error' ? 0 : 1));
  const verdict = errors.length
    ? h('p', { class: 'error', id: 'what-if-verdict' }, `Committing would fail ${plural(errors.length, 'error-severity expectation')} of contract ${c.name} ${c.version}: ${errors.join(', ')}. The commit will be refused unless you override it.`)
    : warnings.length
      ? h('p', { class: 'warn', id: 'what-if-verdict' }, `Only warnings would fail (${warnings.join(', ')}); the commit goes ahead.`)
      : h('p', { class: 'ok', id: 'what-if-verdict' }, `Every expectation of contract ${c.name} ${c.version} would pass.`);
  return section(verdict,
    h('div', { class: 'stats' },
      stat('Approved changes', num(w.approvedChanges)), stat('Rows after commit', num(r.rowCount)),
      stat('Expectations', num(s.expectations)), stat('Passed', num(s.passed)),
      stat('Failed (error)', num(errors.length)), stat('Failed (warning)', num(warnings.length))),
    h('p', { class: 'hint' }, `Applied to v${r.version ?? ''}: ${num(ch.upserted)} rows changed, ${num(ch.added)} added, ${num(ch.deleted)} deleted. `
      + 'The whole changed version is checked, so an expectation the version already fails counts as well.'),
    table('Expectations the committed version would fail, error severity first', [
      { label: 'Expectation', value: (e) => h('span', {}, h('strong', {}, e.id), h('br'), h('span', { class: 'hint' }, e.kind)) },
      { label: 'Columns', value: (e) => (e.columns || []).join(', ') },
      { label: 'Severity', value: (e) => (e.severity === 'error' ? badge('error: blocks the commit', 'bad') : badge(e.severity || 'warn', 'warn')) },
      { label: 'Observed', value: (e) => observed(e) },
      { label: 'Failing', num: true, value: (e) => `${num(e.failingCount)} of ${num(e.evaluated)} (${pct(e.failingFraction)})` },
      { label: 'Failing samples', value: (e) => samples(e) },
    ], failing, 'No expectation would fail.'));
}

/**
 * Commits the approved changes (If-Match on the plan's version, a fresh Idempotency-Key per
 * attempt). 412: the dataset moved on, offer a rebase. 422 would_break_contract: say which
 * error-severity expectations would fail and offer an override, sent only after confirmation.
 */
async function commit(plan, feedback, { approved, preview, override = false } = {}) {
  clear(feedback);
  try {
    const res = await post(`/api/v1/enrichment/plans/${plan.id}/commit${override ? '?override=true' : ''}`, undefined,
      { headers: { 'If-Match': `"v${plan.version}"`, 'Idempotency-Key': uuid() }, timeoutMs: CONTRACT_CHECK_MS });
    announce(override
      ? `Committed as version ${res.data.committedVersion}, overriding the contract; the override is recorded`
      : `Committed as version ${res.data.committedVersion}`);
    go(location.hash);
  } catch (err) {
    if (err.status === 412) {
      const current = err.problem.currentEtag || 'a newer version';
      append(feedback, h('div', { class: 'panel', role: 'alert', id: 'conflict' },
        h('p', { class: 'error' }, `The dataset moved on since this plan was computed from v${plan.version}; it is now at ${current}. Nothing was written.`),
        h('p', {}, 'Rebasing computes the same plan again over the current version, so you review changes against what is there now.'),
        h('button', { type: 'button', id: 'rebase', onclick: async () => {
          try {
            const r = await post(`/api/v1/enrichment/plans/${plan.id}/rebase`, {});
            location.hash = `#/plans/${r.data.id}`;
          } catch (e2) { append(feedback, errorBox(e2)); }
        } }, 'Rebase onto the current version')));
    } else if (err.status === 422 && err.code === 'would_break_contract' && !override) {
      append(feedback, refusal(plan, feedback, err.problem, { approved, preview }));
    } else {
      append(feedback, errorBox(err));
    }
  }
}

/** " — observed 97 %; 3 of 100 rows fail (3 %)" for one failing expectation of a refusal, or nothing. */
function failingDetail(f) {
  if (!f) return '';
  const parts = [];
  if (f.observed !== undefined && f.observed !== null) parts.push(`observed ${observed(f)}`);
  // A dataset-level check (a row count) fails as a whole: it has no failing rows to count.
  if (f.failingCount > 0 && f.evaluated !== undefined) {
    parts.push(`${num(f.failingCount)} of ${num(f.evaluated)} rows fail${f.failingFraction !== undefined ? ` (${pct(f.failingFraction)})` : ''}`);
  }
  return parts.length ? h('span', { class: 'hint' }, ` — ${parts.join('; ')}`) : '';
}

/** Why the commit was refused, and the way to commit anyway: an explicit, confirmed override. */
function refusal(plan, feedback, problem, { approved, preview }) {
  const expectations = Array.isArray(problem.expectations) ? problem.expectations : [];
  // The refusal names, per failing expectation, what was observed and how many rows fail (no row values).
  const failing = new Map((Array.isArray(problem.failing) ? problem.failing : []).map((f) => [f.id, f]));
  const contract = problem.contract || {};
  const named = `contract ${contract.name || ''} ${contract.version || ''}`.replace(/\s+$/, '');
  const confirmArea = h('div', { id: 'override-area' });
  const overrideButton = h('button', { type: 'button', class: 'secondary', id: 'commit-override', onclick: () => confirmOverride() }, 'Commit anyway (override)…');
  function confirmOverride() {
    clear(confirmArea);
    overrideButton.disabled = true;
    const yes = h('button', { type: 'button', id: 'confirm-override', onclick: async () => {
      yes.disabled = true;
      no.disabled = true;
      await commit(plan, feedback, { approved, preview, override: true });
    } }, 'Yes, commit with the override');
    const no = h('button', { type: 'button', class: 'secondary', id: 'cancel-override', onclick: () => {
      clear(confirmArea);
      overrideButton.disabled = false;
      overrideButton.focus();
      announce('Override cancelled; nothing was committed');
    } }, 'Cancel');
    append(confirmArea, h('div', { class: 'panel', role: 'group', 'aria-labelledby': 'override-question' },
      h('p', { class: 'warn', id: 'override-question' },
        `Commit ${approved === undefined ? 'the approved changes' : plural(approved, 'approved change')} although the new version will fail ${expectations.join(', ') || 'error-severity expectations'} of ${named}? `
        + 'The override is recorded on the plan and in the lineage with your name.'),
      h('div', { class: 'actions' }, yes, no)));
    yes.focus();
  }
  return h('div', { class: 'panel', id: 'contract-refusal' },
    h('div', { role: 'alert' },
      h('p', { class: 'error' }, `The commit was refused: the new version would fail ${plural(expectations.length, 'error-severity expectation')} of ${named}. Nothing was written.`),
      h('ul', { id: 'refused-expectations', class: 'inline-errors' }, expectations.map((e) => h('li', {},
        h('code', { class: 'expectation-id' }, e), failingDetail(failing.get(e)))))),
    h('p', {}, 'Reject the changes that break it (the preview shows the failing rows), or commit anyway if the new version must be written regardless.'),
    h('div', { class: 'actions' },
      preview ? h('button', { type: 'button', class: 'secondary', id: 'refusal-preview', onclick: () => preview() }, 'Show the failing rows') : null,
      overrideButton),
    confirmArea);
}
