// app.js: the tumen serve web page (vanilla JS, no build step): sign in with a token, pick a
// scenario and a line, draw the day (paths, blocking stairs, conflicts in red; zoom, pan,
// tooltip), a train's speed-distance profile, ask for a special path, see it over the day
// with the held trains and its schedule, book it, and see the bookings.
'use strict';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const COLORS = { passenger: '#1565c0', freight: '#6d4c41', special: '#8e24aa' };
/* The library's rule sets (docs/special.md, "Security rule sets"); margins with the four
 * margins a timetable office uses by default here (assumed values). */
const RULES = {
  margins: { rules: 'margins', margin_time: '2 min', opposing_margin: '5 min', station_margin: '5 min' },
  royal: { rules: 'royal' },
  strict: { rules: 'strict' },
};

let token = sessionStorage.getItem('tumen-token') || '';
let scenario = null;   // GET /api/v1/scenarios/{id}
let diagram = null;    // GET .../diagram
let view = null;       // {t0, t1}: the time window drawn, s after midnight
let plan = null;       // the last special plan

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

function status(text, cls = '') {
  const s = $('status');
  s.textContent = text;
  s.className = cls;
}

// A request to the API; a 202 job is polled until it is done.
async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let j = await r.json().catch(() => null);
  if (r.status !== 202 || !j || !j.job_id) return { status: r.status, json: j };
  for (let i = 0; i < 2400 && j.state === 'running'; i++) {
    status(`computing... ${Math.round((j.progress || 0) * 100)} %`);
    await sleep(250);
    const p = await fetch(`/api/v1/jobs/${j.job_id}`, { headers: { Authorization: `Bearer ${token}` } });
    j = await p.json();
  }
  status('');
  return j.state === 'done' ? { status: j.status, json: j.result } : { status: 499, json: { error: `the request was ${j.state}` } };
}

function clock(t) {
  const s = Math.round(t);
  const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}${sec ? ':' + String(sec).padStart(2, '0') : ''}`;
}

function el(name, attrs = {}, parent = null) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function fillSelect(sel, items, value) {
  sel.innerHTML = '';
  for (const it of items) {
    const o = document.createElement('option');
    o.value = it.value;
    o.textContent = it.label;
    sel.appendChild(o);
  }
  if (value !== undefined) sel.value = value;
}

// ---- Signing in, scenarios -----------------------------------------------------------------

async function signIn(e) {
  if (e) e.preventDefault();
  if ($('token').value) token = $('token').value.trim();
  const r = await api('GET', '/api/v1/whoami');
  if (r.status !== 200) {
    $('who').textContent = 'the token is not valid';
    $('who').className = 'error';
    $('app').hidden = true;
    return;
  }
  sessionStorage.setItem('tumen-token', token);
  $('who').textContent = `signed in as ${r.json.name} (${r.json.role})`;
  $('who').className = '';
  $('app').hidden = false;
  const list = await api('GET', '/api/v1/scenarios');
  fillSelect($('scenario'), list.json.map((s) => ({ value: s.id, label: `${s.id}: ${s.name}` })));
  if (list.json.length) await pickScenario();
}

async function pickScenario() {
  const r = await api('GET', `/api/v1/scenarios/${$('scenario').value}`);
  if (r.status !== 200) return status(r.json.error, 'error');
  scenario = r.json;
  const points = scenario.points.map((p) => ({ value: p.id, label: `${p.name} (${p.id})` }));
  const trains = scenario.trains.map((t) => ({ value: t, label: t }));
  const has = (id) => scenario.points.some((p) => p.id === id);
  fillSelect($('line-from'), points, has('KHS') ? 'KHS' : points[0] && points[0].value);
  fillSelect($('line-to'), points, has('BAR') ? 'BAR' : points.length && points[points.length - 1].value);
  fillSelect($('sp-from'), points, $('line-from').value);
  fillSelect($('sp-to'), points, $('line-to').value);
  fillSelect($('run-train'), trains);
  fillSelect($('sp-train'), trains);
  await loadBookings();
}

// ---- The time-distance diagram -------------------------------------------------------------

async function draw() {
  const from = $('line-from').value, to = $('line-to').value;
  status('drawing...');
  const r = await api('GET', `/api/v1/scenarios/${scenario.id}/diagram?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  if (r.status !== 200) return status(r.json.error, 'error');
  diagram = r.json;
  view = view || { t0: 0, t1: 86400 };
  render();
  const n = diagram.conflicts.length;
  $('conflict-count').textContent = `${diagram.services.length} trains on the line, ${n} conflict${n === 1 ? '' : 's'}`;
  $('conflict-count').className = n ? 'error' : 'ok';
  status('');
}

function render() {
  const box = $('diagram');
  box.innerHTML = '';
  if (!diagram) return;
  const W = box.clientWidth || 900, H = box.clientHeight || 460;
  const L = 130, R = 12, T = 10, B = 26;
  const len = diagram.line.length_m || 1;
  const X = (t) => L + (t - view.t0) / (view.t1 - view.t0) * (W - L - R);
  const Y = (m) => T + m / len * (H - T - B);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, id: 'diagram-svg' }, box);
  el('rect', { x: 0, y: 0, width: W, height: H, fill: '#fff' }, svg);
  const axis = el('g', { class: 'axis' }, svg);
  const span = view.t1 - view.t0;
  const step = [300, 600, 900, 1800, 3600, 7200, 10800].find((s) => span / s <= 16) || 21600;
  for (let t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
    el('line', { x1: X(t), x2: X(t), y1: T, y2: H - B }, axis);
    el('text', { x: X(t), y: H - 8, 'text-anchor': 'middle' }, axis).textContent = clock(t);
  }
  for (const p of diagram.line.points) {
    el('line', { x1: L, x2: W - R, y1: Y(p.m), y2: Y(p.m) }, axis);
    el('text', { x: L - 6, y: Y(p.m) + 4, 'text-anchor': 'end' }, axis).textContent = p.name;
  }
  const clip = el('clipPath', { id: 'clip' }, el('defs', {}, svg));
  el('rect', { x: L, y: 0, width: W - L - R, height: H }, clip);
  const g = el('g', { 'clip-path': 'url(#clip)' }, svg);
  const category = Object.fromEntries(diagram.services.map((s) => [s.id, s.category]));
  const visible = (t0, t1) => t1 >= view.t0 && t0 <= view.t1;
  for (const s of diagram.stairs) {
    if (!visible(s.t0, s.t1)) continue;
    const c = COLORS[category[s.service]] || '#777';
    el('rect', { class: 'stair', x: X(s.t0), y: Y(s.m0), width: Math.max(X(s.t1) - X(s.t0), 0.5),
      height: Math.max(Y(s.m1) - Y(s.m0), 0.5), fill: c, 'fill-opacity': 0.16, stroke: c }, g);
  }
  for (const s of diagram.services) {
    const pts = s.path.filter((p) => p[0] >= view.t0 - 86400 && p[0] <= view.t1 + 86400);
    if (!pts.length) continue;
    const line = el('polyline', { class: 'path', stroke: COLORS[s.category] || '#555',
      points: pts.map((p) => `${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join(' '), 'data-service': s.id }, g);
    line.addEventListener('mousemove', (e) => tooltip(e, s, X, Y));
    line.addEventListener('mouseleave', () => { $('tooltip').hidden = true; });
  }
  for (const c of diagram.conflicts)
    if (visible(c.t0, c.t1))
      el('rect', { class: 'conflict', x: X(c.t0), y: Y(c.m0), width: Math.max(X(c.t1) - X(c.t0), 2),
        height: Math.max(Y(c.m1) - Y(c.m0), 2) }, g).appendChild(document.createElementNS(SVG, 'title'))
        .textContent = `conflict ${c.train_a} / ${c.train_b} ${clock(c.t0)}-${clock(c.t1)}`;
  if (plan) drawPlan(g, X, Y);
}

// The plan's convoy over the day, at the points of the line it calls at.
function drawPlan(g, X, Y) {
  const km = Object.fromEntries(diagram.line.points.map((p) => [p.id, p.m]));
  for (const what of ['pilot', 'special', 'escort']) {
    const run = plan[what];
    if (!run) continue;
    const pts = [];
    for (const c of run.calls) {
      if (!(c.at in km)) continue;
      pts.push([c.arrival_s, km[c.at]], [c.departure_s, km[c.at]]);
    }
    if (pts.length < 2) continue;
    const line = el('polyline', { class: 'plan', points: pts.map((p) => `${X(p[0])},${Y(p[1])}`).join(' '),
      'data-plan': what, 'stroke-opacity': what === 'special' ? 1 : 0.55 }, g);
    line.addEventListener('mousemove', (e) => tooltip(e, { id: `${run.id} (${what})`, path: pts }, X, Y));
    line.addEventListener('mouseleave', () => { $('tooltip').hidden = true; });
  }
}

function tooltip(e, s, X, Y) {
  const rect = $('diagram').getBoundingClientRect();
  const W = rect.width || 900;
  const t = view.t0 + (e.clientX - rect.left - 130) / (W - 130 - 12) * (view.t1 - view.t0);
  let best = s.path[0];
  for (const p of s.path) if (Math.abs(p[0] - t) < Math.abs(best[0] - t)) best = p;
  const first = s.path[0], last = s.path[s.path.length - 1];
  const tip = $('tooltip');
  tip.textContent = `${s.id}\n${clock(first[0])} - ${clock(last[0])}\nat km ${(best[1] / 1000).toFixed(1)}: ${clock(best[0])}`;
  tip.style.left = `${e.clientX + 14}px`;
  tip.style.top = `${e.clientY + 10}px`;
  tip.hidden = false;
}

function zoomPan() {
  const box = $('diagram');
  let drag = null;
  box.addEventListener('wheel', (e) => {
    if (!view) return;
    e.preventDefault();
    const rect = box.getBoundingClientRect();
    const f = Math.min(Math.max((e.clientX - rect.left - 130) / (rect.width - 142), 0), 1);
    const at = view.t0 + f * (view.t1 - view.t0);
    const k = e.deltaY < 0 ? 0.8 : 1.25;
    const span = Math.min(Math.max((view.t1 - view.t0) * k, 600), 172800);
    view = { t0: at - f * span, t1: at - f * span + span };
    render();
  }, { passive: false });
  box.addEventListener('mousedown', (e) => { drag = { x: e.clientX, view: { ...view } }; });
  window.addEventListener('mouseup', () => { drag = null; });
  window.addEventListener('mousemove', (e) => {
    if (!drag || !view) return;
    const w = box.getBoundingClientRect().width - 142;
    const dt = (e.clientX - drag.x) / w * (drag.view.t1 - drag.view.t0);
    view = { t0: drag.view.t0 - dt, t1: drag.view.t1 - dt };
    render();
  });
  box.addEventListener('dblclick', () => { view = { t0: 0, t1: 86400 }; render(); });
}

// ---- Speed-distance profile ----------------------------------------------------------------

async function runTrain(e) {
  e.preventDefault();
  const body = { train: $('run-train').value, from: $('line-from').value, to: $('line-to').value, departure: $('run-dep').value };
  const r = await api('POST', `/api/v1/scenarios/${scenario.id}/runs`, body);
  const box = $('profile');
  box.innerHTML = '';
  if (r.status !== 200) {
    $('run-summary').textContent = r.json.error;
    $('run-summary').className = 'error';
    return;
  }
  const run = r.json, p = run.profile;
  $('run-summary').textContent = `${body.train}: ${(run.distance_m / 1000).toFixed(1)} km in ${clock(run.running_time_s)}, top ${run.max_speed_kmh.toFixed(0)} km/h, ${run.energy_kwh.toFixed(0)} kWh at the wheel`;
  $('run-summary').className = '';
  const W = box.clientWidth || 500, H = box.clientHeight || 260, L = 44, R = 10, T = 10, B = 26;
  const smax = run.distance_m || 1;
  const vmax = Math.max(...p.v_ms, ...p.limit_ms.filter((v) => v < 200), 1) * 3.6 * 1.1;
  const X = (s) => L + s / smax * (W - L - R), Y = (v) => H - B - v * 3.6 / vmax * (H - T - B);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, id: 'profile-svg' }, box);
  const axis = el('g', { class: 'axis' }, svg);
  for (let v = 0; v <= vmax; v += 20) {
    el('line', { x1: L, x2: W - R, y1: Y(v / 3.6), y2: Y(v / 3.6) }, axis);
    el('text', { x: L - 4, y: Y(v / 3.6) + 4, 'text-anchor': 'end' }, axis).textContent = v;
  }
  const kstep = smax > 100000 ? 20000 : smax > 20000 ? 5000 : 1000;
  for (let s = 0; s <= smax; s += kstep)
    el('text', { x: X(s), y: H - 8, 'text-anchor': 'middle' }, axis).textContent = `${s / 1000} km`;
  const lim = [];
  for (let i = 0; i < p.limit_s_m.length; i++) {
    const s1 = i + 1 < p.limit_s_m.length ? p.limit_s_m[i + 1] : smax;
    lim.push(`${X(p.limit_s_m[i])},${Y(p.limit_ms[i])}`, `${X(s1)},${Y(p.limit_ms[i])}`);
  }
  el('polyline', { points: lim.join(' '), fill: 'none', stroke: '#e53935', 'stroke-width': 1 }, svg);
  el('polyline', { points: p.s_m.map((s, i) => `${X(s)},${Y(p.v_ms[i])}`).join(' '), fill: 'none', stroke: '#1565c0', 'stroke-width': 1.6 }, svg);
}

// ---- Special path and booking ----------------------------------------------------------------

function specialRequest() {
  const train = $('sp-train').value;
  const req = { id: 'web', train, from: $('sp-from').value, to: $('sp-to').value,
    earliest_departure: $('sp-dep').value, mode: $('sp-mode').value };
  if ($('sp-pilot').checked) req.pilot = { train, lead: `${Number($('sp-lead').value)} min` };
  if ($('sp-escort').checked) req.escort = { train, lag: `${Number($('sp-lag').value)} min` };
  const rules = RULES[$('sp-rules').value];
  if (rules) req.security = rules;
  return req;
}

function table(headers, rows, id) {
  const t = document.createElement('table');
  if (id) t.id = id;
  t.innerHTML = `<thead><tr>${headers.map((h) => `<th>${h}</th>`).join('')}</tr></thead>`;
  const body = document.createElement('tbody');
  for (const r of rows) {
    const tr = document.createElement('tr');
    for (const c of r) {
      const td = document.createElement('td');
      td.textContent = c;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  t.appendChild(body);
  return t;
}

async function askSpecial(e) {
  e.preventDefault();
  const out = $('plan');
  out.textContent = 'planning...';
  const r = await api('POST', `/api/v1/scenarios/${scenario.id}/special`, specialRequest());
  out.innerHTML = '';
  if (r.status !== 201) {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = r.json.why || r.json.error || `failed (${r.status})`;
    out.appendChild(p);
    return;
  }
  plan = r.json;
  const head = document.createElement('p');
  head.id = 'plan-summary';
  head.textContent = `plan ${plan.plan_id} (${plan.mode}): departs ${clock(plan.departure_s)}, arrives ${clock(plan.arrival_s)}`;
  out.appendChild(head);
  const h3 = (text) => { const h = document.createElement('h3'); h.textContent = text; out.appendChild(h); };
  h3('Held trains');
  out.appendChild(plan.changes.length
    ? table(['train', 'held at', 'delay'], plan.changes.map((c) => [c.service, c.cancelled ? 'cancelled' : c.at, clock(c.delay_s)]), 'held')
    : Object.assign(document.createElement('p'), { textContent: 'none: no other train is held' }));
  /* {rules, objects: [...], summary} (docs/special.md, "The route security schedule") */
  const sched = plan.security_schedule;
  const objects = sched && Array.isArray(sched.objects) ? sched.objects : [];
  const secure = objects.length > 0;
  h3(secure ? `Security schedule (rules: ${sched.rules})` : 'Convoy schedule (the plan holds no security schedule)');
  if (secure) {
    const keys = ['kind', 'name', 'track', 'position_m', 'pilot_s', 'special_s', 'escort_s', 'guard_from_s', 'guard_until_s'];
    const shown = (k, v) => (v === undefined || v === null ? '' : /_s$/.test(k) ? clock(v) : String(v));
    out.appendChild(table(keys, objects.map((row) => keys.map((k) => shown(k, row[k]))), 'security'));
  } else {
    const rows = [];
    for (const what of ['pilot', 'special', 'escort'])
      if (plan[what]) for (const c of plan[what].calls) rows.push([what, c.at, clock(c.arrival_s), clock(c.departure_s)]);
    out.appendChild(table(['train', 'at', 'arrives', 'departs'], rows, 'security'));
  }
  const book = document.createElement('button');
  book.id = 'book';
  book.textContent = `Book plan ${plan.plan_id}`;
  book.addEventListener('click', bookPlan);
  out.appendChild(book);
  const msg = document.createElement('p');
  msg.id = 'book-result';
  out.appendChild(msg);
  if (diagram) render();
}

async function bookPlan() {
  await book(plan.plan_id, $('book-result'));
}

// Books a plan by id (a plan another planner made, say).
async function bookById(e) {
  e.preventDefault();
  await book(Number($('book-plan').value), $('book-form-result'));
}

async function book(planId, msg) {
  const r = await api('POST', `/api/v1/scenarios/${scenario.id}/bookings`, { plan_id: planId });
  if (r.status === 201) {
    const held = (r.json.held || []).map((h) => h.service), cancelled = r.json.cancelled || [];
    msg.textContent = `booked: booking ${r.json.id}` + (held.length ? `; held: ${held.join(', ')}` : '') +
      (cancelled.length ? `; cancelled: ${cancelled.join(', ')}` : '');
    msg.className = 'ok';
    await loadBookings();
    await draw();
  } else {
    msg.textContent = `not booked (${r.status}): ${r.json.error}${r.json.conflicting_booking ? ` (booking ${r.json.conflicting_booking})` : ''}`;
    msg.className = 'error';
  }
}

async function loadBookings() {
  const r = await api('GET', `/api/v1/scenarios/${scenario.id}/bookings`);
  const body = $('bookings').querySelector('tbody');
  body.innerHTML = '';
  for (const b of r.json || []) {
    const tr = document.createElement('tr');
    for (const c of [b.id, b.plan_id, b.booked_by, b.booked, b.cancelled ? `cancelled by ${b.cancelled_by}` : 'booked']) {
      const td = document.createElement('td');
      td.textContent = c;
      tr.appendChild(td);
    }
    const td = document.createElement('td');
    if (!b.cancelled) {
      const x = document.createElement('button');
      x.textContent = 'Cancel';
      x.addEventListener('click', async () => {
        const d = await api('DELETE', `/api/v1/scenarios/${scenario.id}/bookings/${b.id}`);
        if (d.status !== 200) status(d.json.error, 'error');
        await loadBookings();
        if (diagram) await draw();
      });
      td.appendChild(x);
    }
    tr.appendChild(td);
    body.appendChild(tr);
  }
}

$('signin').addEventListener('submit', signIn);
$('scenario').addEventListener('change', pickScenario);
$('draw').addEventListener('click', draw);
$('run-form').addEventListener('submit', runTrain);
$('special-form').addEventListener('submit', askSpecial);
$('book-form').addEventListener('submit', bookById);
window.addEventListener('resize', render);
zoomPan();
if (token) signIn();
