namespace VisInstruct.Report;

/// <summary>
/// The sample browser's script, inlined in the page. It loads chunks as script tags (see
/// <see cref="SampleBrowserWriter"/>), keeps the last few in memory, pages through a group's own chunks, and filters by
/// text by scanning the chunks one after another, showing matches as they are found.
/// </summary>
internal static class PageScript
{
    public const string Text = """
"use strict";
const INDEX = JSON.parse(document.getElementById('visinstruct-index').textContent);
const loaded = new Map(), waiting = new Map();
const KEEP = 40;
function visinstructChunk(key, n, samples) {
  const id = key + '-' + n;
  loaded.set(id, samples);
  while (loaded.size > KEEP) { loaded.delete(loaded.keys().next().value); }
  const w = waiting.get(id);
  waiting.delete(id);
  if (w) { w.forEach(f => f.resolve(samples)); }
}
window.visinstructChunk = visinstructChunk;
function chunk(key, n) {
  const id = key + '-' + n;
  if (loaded.has(id)) { return Promise.resolve(loaded.get(id)); }
  return new Promise((resolve, reject) => {
    if (waiting.has(id)) { waiting.get(id).push({ resolve, reject }); return; }
    waiting.set(id, [{ resolve, reject }]);
    const s = document.createElement('script');
    s.src = 'data/' + key + '-' + String(n).padStart(6, '0') + '.js';
    s.onload = () => s.remove();
    s.onerror = () => {
      s.remove();
      const w = waiting.get(id) || [];
      waiting.delete(id);
      w.forEach(f => f.reject(new Error('cannot load ' + s.src)));
    };
    document.head.appendChild(s);
  });
}
function imageUrl(u) {
  if (u === undefined) { return null; }
  const path = u.split('/').map(encodeURIComponent).join('/');
  if (location.protocol === 'file:') { return INDEX.imageBase === null ? null : INDEX.imageBase + path; }
  return 'images/' + path;
}
const state = { group: '', text: '', page: 0, size: 20, scan: 0, view: 0, matches: null, scanned: 0, scanTotal: 0 };
const $ = id => document.getElementById(id);
function source() {
  const g = INDEX.groups.find(x => x.name === state.group);
  if (!g) { return { key: 'all', chunks: INDEX.chunks, total: INDEX.total, test: null }; }
  if (g.chunks > 0) { return { key: g.key, chunks: g.chunks, total: g.count, test: null }; }
  return { key: 'all', chunks: INDEX.chunks, total: g.count, test: s => s.g === g.name };
}
function matchText(s, text) {
  if (s.id.toLowerCase().includes(text)) { return true; }
  for (const t of s.c) { if (t[1].toLowerCase().includes(text)) { return true; } }
  for (const im of s.im) {
    if (im.p.toLowerCase().includes(text) || (im.pv && im.pv.prompt && im.pv.prompt.toLowerCase().includes(text))) { return true; }
  }
  return false;
}
async function scan(generation) {
  const src = source();
  const text = state.text.toLowerCase();
  state.matches = [];
  state.scanned = 0;
  state.scanTotal = src.chunks;
  for (let n = 0; n < src.chunks; n++) {
    const samples = await chunk(src.key, n);
    if (generation !== state.scan) { return; }
    samples.forEach((s, i) => {
      if ((!src.test || src.test(s)) && (text === '' || matchText(s, text))) { state.matches.push([n, i]); }
    });
    state.scanned = n + 1;
    if (n % 4 === 3 || n === src.chunks - 1) { await show(); }
  }
  if (src.chunks === 0) { await show(); }
}
async function pageSamples() {
  const src = source();
  const first = state.page * state.size;
  if (state.matches === null) {
    const last = Math.min(src.total, first + state.size);
    const out = [];
    for (let i = first; i < last; i++) {
      const samples = await chunk(src.key, Math.floor(i / INDEX.chunkSize));
      out.push(samples[i % INDEX.chunkSize]);
    }
    return { samples: out, total: src.total, done: true };
  }
  const picked = state.matches.slice(first, first + state.size);
  const out = [];
  for (const [n, i] of picked) { out.push((await chunk(src.key, n))[i]); }
  return { samples: out, total: state.matches.length, done: state.scanned >= state.scanTotal };
}
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) { e.className = cls; }
  if (text !== undefined) { e.textContent = text; }
  return e;
}
function card(s) {
  const c = el('article', 'sample');
  c.dataset.id = s.id;
  c.dataset.group = s.g;
  const head = el('header');
  head.append(el('b', null, s.id), el('span', 'tag', s.g), el('span', 'tag', s.k), el('span', 'where', s.f + ' #' + s.n));
  c.append(head);
  const pics = el('div', 'pics');
  for (const im of s.im) {
    const fig = el('figure');
    const url = imageUrl(im.u);
    const src = im.t || url;
    if (src) {
      const img = el('img', 'thumb');
      img.loading = 'lazy';
      img.alt = im.p;
      img.src = src;
      if (url) { const a = el('a'); a.href = url; a.target = '_blank'; a.append(img); fig.append(a); } else { fig.append(img); }
    } else {
      fig.append(el('div', 'noimage', 'no image file'));
    }
    fig.append(el('figcaption', null, im.p));
    if (im.pv) {
      const pv = el('dl', 'prov');
      for (const k of ['prompt', 'negative_prompt', 'backend', 'model', 'seed', 'size']) {
        if (im.pv[k] !== undefined) { pv.append(el('dt', null, k), el('dd', null, im.pv[k])); }
      }
      fig.append(pv);
    }
    pics.append(fig);
  }
  c.append(pics);
  const dialogue = el('div', 'dialogue');
  for (const [from, value] of s.c) {
    const t = el('div', 'turn ' + (from === 'human' ? 'q' : 'a'));
    t.append(el('span', 'role', from), el('span', 'text', value));
    dialogue.append(t);
  }
  c.append(dialogue);
  return c;
}
async function show() {
  const view = ++state.view;
  const result = await pageSamples();
  if (view !== state.view) { return; }
  const list = $('samples');
  list.replaceChildren(...result.samples.map(card));
  const pages = Math.max(1, Math.ceil(result.total / state.size));
  $('page-info').textContent = 'page ' + (state.page + 1) + ' of ' + pages + (result.done ? '' : '+');
  $('prev').disabled = state.page === 0;
  $('next').disabled = result.done && state.page + 1 >= pages;
  $('status').textContent = state.matches === null
    ? result.total + ' samples'
    : result.total + ' matches' + (result.done ? '' : ' so far (scanned ' + state.scanned + ' of ' + state.scanTotal + ' chunks)');
  $('status').dataset.done = result.done ? 'true' : 'false';
}
function refresh(resetPage) {
  if (!resetPage) { show().catch(report); return; }
  state.page = 0;
  const generation = ++state.scan;
  if (state.text === '' && !source().test) {
    state.matches = null;
    show().catch(report);
  } else {
    scan(generation).catch(report);
  }
}
function report(e) { $('status').textContent = 'error: ' + e.message; }
function start() {
  const select = $('group-select');
  for (const g of INDEX.groups) {
    const o = el('option', null, g.name + ' (' + g.count + ')');
    o.value = g.name;
    select.append(o);
  }
  select.addEventListener('change', () => { state.group = select.value; refresh(true); });
  let timer = 0;
  $('filter').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.text = $('filter').value.trim(); refresh(true); }, 250);
  });
  $('prev').addEventListener('click', () => { if (state.page > 0) { state.page--; refresh(false); } });
  $('next').addEventListener('click', () => { state.page++; refresh(false); });
  document.querySelectorAll('tr[data-group]').forEach(row => row.addEventListener('click', () => {
    select.value = row.dataset.group; state.group = row.dataset.group; refresh(true); $('browser').scrollIntoView();
  }));
  refresh(true);
}
start();
""";
}
