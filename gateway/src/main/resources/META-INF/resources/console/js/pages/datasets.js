// Datasets: the tenant's datasets with their current version, contract gate and last run.
import { get, post, enc, uuid } from '../api.js';
import { h, append, table, when, num, badge, field, errorBox, clear, announce } from '../dom.js';

export async function render(main) {
  append(main, h('h1', {}, 'Datasets'));
  const list = h('div', { id: 'dataset-list' }, h('p', {}, 'Loading datasets…'));
  append(main, list, createForm());
  await fill(list);
}

async function fill(list, cursor) {
  const page = await get(`/api/v1/ingest/datasets?limit=50${cursor ? `&cursor=${enc(cursor)}` : ''}`);
  const items = page.items || [];
  const details = await Promise.all(items.map(async (d) => {
    const [gate, version] = await Promise.all([
      d.currentVersion > 0 ? get(`/api/v1/contracts/gates/${d.id}/${d.currentVersion}`).catch(() => null) : null,
      d.currentVersion > 0 ? get(`/api/v1/ingest/datasets/${d.id}/versions/${d.currentVersion}`).catch(() => null) : null,
    ]);
    return { d, gate, version };
  }));
  clear(list);
  append(list, table('Datasets of your tenant', [
    { label: 'Name', value: (r) => h('a', { href: `#/datasets/${r.d.id}` }, r.d.name) },
    { label: 'Profile', value: (r) => r.d.profile },
    { label: 'Current version', num: true, value: (r) => (r.d.currentVersion ? `v${r.d.currentVersion}` : 'none yet') },
    { label: 'Rows', num: true, value: (r) => (r.version ? num(r.version.rowCount) : '—') },
    { label: 'Published version', num: true, value: (r) => (r.d.publishedVersion ? `v${r.d.publishedVersion}` : 'none') },
    { label: 'Contract gate', value: (r) => gateBadge(r.gate) },
    { label: 'Last run', value: (r) => (r.version ? `${r.version.kind} ${when(r.version.createdAt)}` : '—') },
  ], details, 'No datasets yet: create one below.'));
  if (page.nextCursor) {
    append(list, h('button', { type: 'button', class: 'secondary', onclick: () => fill(list, page.nextCursor) }, 'Next page'));
  }
}

export function gateBadge(gate) {
  if (!gate) return badge('no version', 'neutral');
  if (gate.pass) return badge('passes', 'ok');
  const reason = (gate.reasons || [])[0];
  return h('span', {}, badge('blocked', 'bad'), ' ', h('span', { class: 'hint' }, reason ? reason.code : ''));
}

function createForm() {
  const name = h('input', { name: 'name', required: true, pattern: '[a-z0-9][a-z0-9._-]*', id: 'new-dataset-name' });
  const profile = h('select', { name: 'profile', id: 'new-dataset-profile' }, h('option', { value: 'organisation' }, 'organisation'));
  const rowKey = h('input', { name: 'rowKey', id: 'new-dataset-rowkey', value: 'registration_number' });
  const feedback = h('div');
  const form = h('form', { class: 'panel', 'aria-labelledby': 'create-heading' },
    h('h2', { id: 'create-heading' }, 'Create a dataset'),
    field('Name', name, 'Lower case letters, digits, dots, dashes and underscores.'),
    field('Profile', profile),
    field('Row key (optional)', rowKey, 'Fields that identify a row, comma-separated; needed for incremental uploads.'),
    h('button', { type: 'submit', id: 'create-dataset' }, 'Create dataset'), feedback);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(feedback);
    const body = { name: name.value.trim(), profile: profile.value };
    const keys = rowKey.value.split(',').map((s) => s.trim()).filter(Boolean);
    if (keys.length) body.rowKey = keys;
    try {
      const res = await post('/api/v1/ingest/datasets', body, { headers: { 'Idempotency-Key': uuid() } });
      announce(`Dataset ${res.data.name} created`);
      location.hash = `#/datasets/${res.data.id}/upload`;
    } catch (err) {
      append(feedback, errorBox(err));
    }
  });
  return form;
}
