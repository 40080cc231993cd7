// Enrichment and merge plans: the proposed changes as a reviewable diff with evidence and
// confidence, approve/reject per change or by threshold, commit (412 explained, with a rebase),
// and for merge plans the duplicate clusters side by side.
import { get, post, patch, call, enc, uuid } from '../api.js';
import { h, append, clear, table, num, badge, field, errorBox, stat, announce, when } from '../dom.js';
import { confidence } from '../charts.js';
import { go } from '../app.js';

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
    append(main, h('div', { class: 'panel' },
      h('h2', {}, 'Decide'),
      h('div', { class: 'row' }, field('Confidence threshold', threshold, '0 to 1'),
        h('button', { type: 'button', id: 'approve-above', onclick: () => decide({ approveAbove: Number(threshold.value) }, 'Changes at or above the threshold approved') }, 'Approve all at or above'),
        h('button', { type: 'button', class: 'secondary', id: 'reject-below', onclick: () => decide({ rejectBelow: Number(threshold.value) }, 'Changes below the threshold rejected') }, 'Reject all below')),
      h('p', {}, `${approved} of ${items.length} changes approved.`, ' ',
        h('button', { type: 'button', id: 'commit', disabled: approved === 0, onclick: () => commit(plan, feedback) }, `Commit ${approved} approved change${approved === 1 ? '' : 's'}`)),
      feedback));
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

async function commit(plan, feedback) {
  clear(feedback);
  try {
    const res = await post(`/api/v1/enrichment/plans/${plan.id}/commit`, undefined,
      { headers: { 'If-Match': `"v${plan.version}"`, 'Idempotency-Key': uuid() } });
    announce(`Committed as version ${res.data.committedVersion}`);
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
    } else {
      append(feedback, errorBox(err));
    }
  }
}
