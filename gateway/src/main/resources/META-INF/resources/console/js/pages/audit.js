// Audit (auditors): search the tenant's audit log and verify its hash chain.
import { get, enc } from '../api.js';
import { h, append, clear, table, when, badge, field, errorBox, num } from '../dom.js';

export async function render(main) {
  append(main, h('h1', {}, 'Audit log'));
  const actor = h('input', { id: 'audit-actor', name: 'actor' });
  const action = h('input', { id: 'audit-action', name: 'action' });
  const from = h('input', { id: 'audit-from', name: 'from', type: 'datetime-local' });
  const to = h('input', { id: 'audit-to', name: 'to', type: 'datetime-local' });
  const results = h('div', { id: 'audit-results' });
  const chain = h('div', { id: 'audit-chain', 'aria-live': 'polite' });
  const form = h('form', { class: 'row', role: 'search', 'aria-label': 'Search the audit log' },
    field('Actor', actor), field('Action', action, 'e.g. ingest:dataset:create'), field('From', from), field('To', to),
    h('button', { type: 'submit' }, 'Search'));
  const search = async (cursor) => {
    clear(results);
    const q = new URLSearchParams({ limit: '100' });
    if (actor.value.trim()) q.set('actor', actor.value.trim());
    if (action.value.trim()) q.set('action', action.value.trim());
    if (from.value) q.set('from', new Date(from.value).toISOString());
    if (to.value) q.set('to', new Date(to.value).toISOString());
    if (cursor) q.set('cursor', cursor);
    try {
      const page = await get(`/api/v1/policy/audit?${q}`);
      append(results, table('Audit entries, newest first', [
        { label: 'When', value: (e) => when(e.occurredAt || e.recordedAt) },
        { label: 'Actor', value: (e) => e.actor },
        { label: 'Action', value: (e) => e.action },
        { label: 'Resource', value: (e) => e.resource },
        { label: 'Decision', value: (e) => badge(e.decision || '', e.decision === 'denied' ? 'bad' : 'ok') },
        { label: 'Status', num: true, value: (e) => e.status ?? '' },
        { label: 'Trace', value: (e) => (e.traceId ? String(e.traceId).slice(0, 12) : '') },
      ], page.entries || page.items || [], 'No entries match.'));
      if (page.nextCursor) append(results, h('button', { type: 'button', class: 'secondary', onclick: () => search(page.nextCursor) }, 'Older entries'));
    } catch (err) {
      append(results, errorBox(err, err.status === 403 ? h('p', {}, 'Reading the audit log needs the auditor role.') : null));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); search(); });
  const verify = h('button', { type: 'button', id: 'verify-chain' }, 'Verify the chain');
  verify.addEventListener('click', async () => {
    clear(chain);
    try {
      const v = await get('/api/v1/policy/audit/verify');
      append(chain, h('p', { class: v.valid ? 'ok' : 'error' }, v.valid
        ? `The chain is intact: ${num(v.entriesChecked)} entries checked.`
        : `The chain is broken${v.firstBrokenSeq !== undefined ? ` at entry ${v.firstBrokenSeq}` : ''}: ${v.detail || v.reason || 'an entry does not match its hash'}.`));
    } catch (err) {
      append(chain, errorBox(err, err.status === 403 ? h('p', {}, 'Verifying the chain needs the auditor role.') : null));
    }
  });
  append(main, form, h('div', { class: 'actions' }, verify), chain, results);
  await search();
}
