// Lineage: a dataset's upstream and downstream as a layered graph picture (jobs and datasets,
// each dataset with its current version), drawn here in SVG. Nodes are focusable buttons; choosing
// one shows its runs (jobs) or versions (datasets) with their facets.
import { get, enc } from '../api.js';
import { h, append, clear, field, when, table, num } from '../dom.js';
import { svg } from '../charts.js';
import { go } from '../app.js';

const NODE_W = 190;
const NODE_H = 46;
const GAP_X = 80;
const GAP_Y = 22;

export async function render(main, { dataset }, ctx) {
  const tenant = ctx.session.tenant;
  append(main, h('h1', {}, dataset ? `Lineage of ${dataset}` : 'Lineage'));
  const datasets = (await get('/api/v1/ingest/datasets?limit=200')).items || [];
  const select = h('select', { id: 'lineage-dataset' }, datasets.map((d) => h('option', { value: d.name, selected: d.name === dataset }, d.name)));
  const form = h('form', { class: 'row' }, field('Dataset', select), h('button', { type: 'submit', id: 'show-lineage' }, 'Show lineage'));
  form.addEventListener('submit', (e) => { e.preventDefault(); go(`#/lineage/${enc(select.value)}`); });
  append(main, form);
  if (!dataset) {
    append(main, h('p', { class: 'hint' }, datasets.length ? 'Choose a dataset.' : 'No datasets yet.'));
    return;
  }
  const graph = (await get(`/marquez/api/v1/lineage?nodeId=${enc(`dataset:${tenant}:${dataset}`)}&depth=6`)).graph || [];
  const details = h('section', { id: 'lineage-details', 'aria-live': 'polite' });
  if (!graph.length) {
    append(main, h('p', {}, 'No lineage recorded for this dataset yet.'));
    return;
  }
  const versions = await datasetVersions(graph);
  append(main, h('p', { class: 'hint' }, 'Jobs are blue, datasets green; arrows run from inputs to outputs. Tab to a node and press Enter for its runs or versions.'),
    picture(graph, versions, `dataset:${tenant}:${dataset}`, (node) => showNode(node, details)), details);
}

/** The current version of each dataset node, from its version history. */
async function datasetVersions(graph) {
  const out = new Map();
  await Promise.all(graph.filter((n) => n.type === 'DATASET').map(async (n) => {
    const [ns, ...rest] = n.id.split(':').slice(1);
    try {
      const v = await get(`/marquez/api/v1/namespaces/${enc(ns)}/datasets/${enc(rest.join(':'))}/versions?limit=20`);
      // Readers (a validation) record versions too, without a version number; the dataset's
      // version is the highest numbered one its writers recorded.
      const all = v.versions || [];
      const numbered = all.filter((x) => Number.isFinite(Number(x.facets && x.facets.version && x.facets.version.datasetVersion)));
      const latest = numbered.length
        ? numbered.reduce((a, b) => (Number(b.facets.version.datasetVersion) > Number(a.facets.version.datasetVersion) ? b : a))
        : all[0];
      if (latest) out.set(n.id, latest);
    } catch { /* a dataset without versions shows none */ }
  }));
  return out;
}

function versionLabel(v) {
  if (!v) return '';
  const facet = v.facets && v.facets.version && v.facets.version.datasetVersion;
  return facet ? `v${facet}` : v.version ? `version ${String(v.version).slice(0, 8)}` : '';
}

/** Layers by longest path from the sources; order in a layer by the mean position of parents. */
export function layout(graph) {
  const ids = graph.map((n) => n.id);
  const parents = new Map(ids.map((id) => [id, []]));
  for (const n of graph) {
    for (const e of n.outEdges || []) if (parents.has(e.destination) && e.origin === n.id) parents.get(e.destination).push(n.id);
  }
  const layer = new Map();
  const visiting = new Set();
  const depth = (id) => {
    if (layer.has(id)) return layer.get(id);
    if (visiting.has(id)) return 0; // a cycle: cut it here
    visiting.add(id);
    const d = parents.get(id).reduce((m, p) => Math.max(m, depth(p) + 1), 0);
    visiting.delete(id);
    layer.set(id, d);
    return d;
  };
  ids.forEach(depth);
  const layers = [];
  for (const id of ids) (layers[layer.get(id)] ||= []).push(id);
  const pos = new Map();
  layers.forEach((ids2, li) => {
    if (li > 0) {
      const bary = (id) => {
        const ps = parents.get(id).filter((p) => pos.has(p));
        return ps.length ? ps.reduce((s, p) => s + pos.get(p).row, 0) / ps.length : 0;
      };
      ids2.sort((a, b) => bary(a) - bary(b));
    }
    ids2.forEach((id, row) => pos.set(id, { layer: li, row }));
  });
  return { pos, layers };
}

function picture(graph, versions, focusId, onChoose) {
  const { pos, layers } = layout(graph);
  const tallest = Math.max(...layers.map((l) => l.length));
  const width = layers.length * (NODE_W + GAP_X) - GAP_X + 40;
  const height = tallest * (NODE_H + GAP_Y) - GAP_Y + 80;
  const at = (id) => {
    const p = pos.get(id);
    const offset = ((tallest - layers[p.layer].length) * (NODE_H + GAP_Y)) / 2;
    return { x: 20 + p.layer * (NODE_W + GAP_X), y: 20 + offset + p.row * (NODE_H + GAP_Y) };
  };
  const edges = [];
  for (const n of graph) {
    for (const e of n.outEdges || []) {
      if (!pos.has(e.destination) || e.origin !== n.id) continue;
      const a = at(e.origin);
      const b = at(e.destination);
      if (b.x <= a.x) {
        // An edge back to an earlier layer (a job that reads and writes the same dataset): an arc
        // under the nodes, dashed, so it does not cross the forward edges.
        const bottom = Math.max(a.y, b.y) + NODE_H + 28;
        edges.push(svg('path', { d: `M${a.x + NODE_W / 2},${a.y + NODE_H} C${a.x + NODE_W / 2},${bottom} ${b.x + NODE_W / 2},${bottom} ${b.x + NODE_W / 2},${b.y + NODE_H + 6}`,
          fill: 'none', stroke: '#4a5360', 'stroke-width': 1.5, 'stroke-dasharray': '5 4', 'marker-end': 'url(#arrow)' }));
        continue;
      }
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x - 6;
      const y2 = b.y + NODE_H / 2;
      const mid = (x1 + x2) / 2;
      if (pos.get(e.destination).layer - pos.get(e.origin).layer > 1) {
        // Skipping a layer: over the top of the picture, through the gaps, never behind a node.
        const g1 = x1 + GAP_X / 2;
        const g2 = b.x - GAP_X / 2;
        const top = 8;
        edges.push(svg('path', { d: `M${x1},${y1} C${g1},${y1} ${g1},${top} ${g1 + 20},${top} L${g2 - 20},${top} C${g2},${top} ${g2},${y2} ${x2},${y2}`,
          fill: 'none', stroke: '#4a5360', 'stroke-width': 1.5, 'marker-end': 'url(#arrow)' }));
        continue;
      }
      edges.push(svg('path', { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, fill: 'none', stroke: '#4a5360', 'stroke-width': 1.5, 'marker-end': 'url(#arrow)' }));
    }
  }
  const nodes = graph.map((n) => {
    const { x, y } = at(n.id);
    const isJob = n.type === 'JOB';
    const name = n.id.split(':').slice(2).join(':');
    const version = isJob ? '' : versionLabel(versions.get(n.id));
    const label = `${isJob ? 'Job' : 'Dataset'} ${name}${version ? `, ${version}` : ''}`;
    const g = svg('g', { class: `node${n.id === focusId ? ' selected' : ''}`, tabindex: 0, role: 'button', 'aria-label': label, 'data-node': n.id, transform: `translate(${x},${y})` },
      svg('rect', { width: NODE_W, height: NODE_H, rx: 6, fill: isJob ? '#e3edf9' : '#e4f3e7', stroke: isJob ? '#0b57a4' : '#176b2c' }),
      svg('title', {}, name),
      svg('text', { x: 10, y: 19, 'font-size': 12, 'font-weight': 600, fill: '#1b1f24' }, name.length > 26 ? `${name.slice(0, 25)}…` : name),
      svg('text', { x: 10, y: 36, 'font-size': 11, fill: '#4a5360' }, isJob ? 'job' : `dataset${version ? ` · ${version}` : ''}`));
    const choose = () => {
      for (const other of g.ownerSVGElement.querySelectorAll('.node')) other.classList.remove('selected');
      g.classList.add('selected');
      onChoose(n);
    };
    g.addEventListener('click', choose);
    g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); choose(); } });
    return g;
  });
  const alt = `Lineage graph with ${graph.length} nodes: ${graph.map((n) => n.id.split(':').slice(2).join(':')).join(', ')}`;
  return h('div', { class: 'scroll' }, svg('svg', { class: 'lineage', id: 'lineage-graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': alt },
    svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#4a5360' }))),
    ...edges, ...nodes));
}

async function showNode(node, details) {
  clear(details);
  const [ns, ...rest] = node.id.split(':').slice(1);
  const name = rest.join(':');
  append(details, h('h2', {}, `${node.type === 'JOB' ? 'Job' : 'Dataset'} ${name}`));
  try {
    if (node.type === 'JOB') {
      const runs = (await get(`/marquez/api/v1/namespaces/${enc(ns)}/jobs/${enc(name)}/runs?limit=20`)).runs || [];
      append(details, table('Runs of this job, newest first', [
        { label: 'Run', value: (r) => r.id },
        { label: 'State', value: (r) => r.state },
        { label: 'Started', value: (r) => when(r.startedAt || r.createdAt) },
        { label: 'Ended', value: (r) => when(r.endedAt) },
        { label: 'Facets', value: (r) => facets(r.facets) },
      ], runs, 'No runs recorded.'));
    } else {
      const versions = (await get(`/marquez/api/v1/namespaces/${enc(ns)}/datasets/${enc(name)}/versions?limit=20`)).versions || [];
      append(details, table('Versions of this dataset, newest first', [
        { label: 'Version', value: (v) => versionLabel(v) || String(v.version || '') },
        { label: 'Created', value: (v) => when(v.createdAt) },
        { label: 'Rows', num: true, value: (v) => num(v.facets && v.facets.outputStatistics ? v.facets.outputStatistics.rowCount : null) },
        { label: 'Written by run', value: (v) => (v.createdByRun ? v.createdByRun.id || '' : '') },
        { label: 'Facets', value: (v) => facets(v.facets) },
      ], versions, 'No versions recorded.'));
    }
  } catch (err) {
    append(details, h('p', { class: 'error' }, err.message));
  }
}

function facets(f) {
  if (!f || !Object.keys(f).length) return '—';
  return h('details', {}, h('summary', {}, Object.keys(f).join(', ')), h('pre', {}, JSON.stringify(f, null, 2)));
}
