// api.mjs: tumen serve end to end on the flagship day: health, tokens and roles, upload,
// a run, conflicts, a special plan, bookings (201, then 409 naming the booking), cancel,
// jobs (202, poll, cancel), bad input as file:line: field, the access log, and
// /openapi.json against what the server answers (both ways).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, done, tempDir, token, startServer, request, multipart, uploadFlagship, hop,
  waitJob, cleanup } from './lib.mjs';

const dir = tempDir();
const db = join(dir, 'store.db');
const log = join(dir, 'access.log');
const admin = token(db, 'ada', 'admin');
const planner = token(db, 'pat', 'planner');
const viewer = token(db, 'vic', 'viewer');
check(/^tmn_[0-9a-f]{64}$/.test(admin), 'token add prints the token as the last word');
check(!readFileSync(db).includes(Buffer.from(admin)), 'the store does not hold the token');
const srv = await startServer(db, ['--threads', '4'], log);
const P = srv.port;
const used = []; // [method, template] of every documented call made
const call = (method, template, path, opts) => { used.push([method, template]); return request(P, method, path, opts); };

let r = await call('GET', '/api/v1/health', '/api/v1/health');
check(r.status === 200 && r.json.status === 'ok', 'health without a token: 200');
r = await call('GET', '/api/v1/scenarios', '/api/v1/scenarios');
check(r.status === 401 && /token/.test(r.json.error), 'no token: 401');
r = await call('GET', '/api/v1/scenarios', '/api/v1/scenarios', { token: 'tmn_' + '0'.repeat(64) });
check(r.status === 401, 'a wrong token: 401');
r = await call('GET', '/api/v1/whoami', '/api/v1/whoami', { token: viewer });
check(r.status === 200 && r.json.role === 'viewer' && r.json.name === 'vic', 'whoami names the token and its role');

const mp = multipart([{ name: 'network.yaml', content: readFileSync(join(srcDir(), 'network.yaml')) }]);
r = await call('POST', '/api/v1/scenarios', '/api/v1/scenarios', { token: planner, body: mp.body, headers: mp.headers });
check(r.status === 403, 'a planner cannot upload: 403');
const id = await uploadFlagship(P, admin);
used.push(['POST', '/api/v1/scenarios']);
check(id > 0, `the flagship uploaded as scenario ${id}`);

const bad = 'vehicles:\n  - id: x\n    mass: heavy\n';
r = await call('POST', '/api/v1/scenarios', '/api/v1/scenarios?name=broken.yaml', { token: admin, body: bad, headers: { 'Content-Type': 'application/x-yaml' } });
check(r.status === 400 && /^broken\.yaml:\d+: /.test(r.json.error), `bad input: 400 with file:line: (${r.json && r.json.error})`);

// A day with conflicts: they are listed, and drawn on the line (in red on the page).
const data = join(process.argv[3], 'tests', 'data');
const mc = multipart(['simple.yaml', 'corridor.yaml', 'corridor_conflicts.yaml'].map((n) => ({ name: n, content: readFileSync(join(data, n)) })));
r = await call('POST', '/api/v1/scenarios', '/api/v1/scenarios', { token: admin, body: mc.body, headers: mc.headers });
const corridor = r.json.id;
r = await call('GET', '/api/v1/scenarios/{id}/conflicts', `/api/v1/scenarios/${corridor}/conflicts`, { token: viewer });
const nconf = r.json.length;
check(r.status === 200 && nconf >= 2, `the planted conflicts found: ${nconf}`);
r = await call('GET', '/api/v1/scenarios/{id}/diagram', `/api/v1/scenarios/${corridor}/diagram?from=AST&to=COL`, { token: viewer });
check(r.status === 200 && r.json.conflicts.length === nconf && r.json.conflicts.every((c) => c.m1 > c.m0 && c.t1 > c.t0),
  `every conflict placed on the line AST-COL (${r.json.conflicts && r.json.conflicts.length})`);

// Another format through the importers: the railML 2.4 line of tests/data.
const xml = readFileSync(join(process.argv[3], 'tests', 'data', 'import', 'line-2.4.xml'));
const mx = multipart([{ name: 'line-2.4.xml', content: xml }]);
r = await call('POST', '/api/v1/scenarios', '/api/v1/scenarios', { token: admin, body: mx.body, headers: mx.headers });
check(r.status === 201 && r.json.imports[0].file === 'line-2.4.xml' && /railML/.test(JSON.stringify(r.json.imports[0].summary)),
  `a railML file imported: ${r.status} ${r.text.slice(0, 120)}`);
const railml = r.json.id;
r = await call('GET', '/api/v1/scenarios/{id}', `/api/v1/scenarios/${railml}`, { token: viewer });
check(r.status === 200 && r.json.files[0] === 'line-2.4.xml.yaml' && r.json.services.length > 0, 'kept as tumen YAML, its timetable read');
r = await call('POST', '/api/v1/scenarios', '/api/v1/scenarios?name=bad.xml', { token: admin, body: '<railml><infrastructure>', headers: { 'Content-Type': 'application/xml' } });
check(r.status === 400 && /^bad\.xml/.test(r.json.error), `a broken railML file: 400 naming it (${r.json && r.json.error})`);

r = await call('GET', '/api/v1/scenarios/{id}', `/api/v1/scenarios/${id}`, { token: viewer });
check(r.status === 200 && r.json.trains.includes('special_electric') && r.json.services.length === 12,
  'the scenario: its trains and 12 services');
r = await call('GET', '/api/v1/scenarios/{id}', '/api/v1/scenarios/999', { token: viewer });
check(r.status === 404, 'an unknown scenario: 404');

r = await call('POST', '/api/v1/scenarios/{id}/runs', `/api/v1/scenarios/${id}/runs`,
  { token: viewer, body: { train: 'freight_2te116', from: 'KHS', to: 'BAR', departure: '10:00' } });
check(r.status === 200 && Math.abs(r.json.distance_m - 238000) < 1 && r.json.timing_points.length > 2 &&
  r.json.profile.s_m.length > 10, 'a run Khasan - Baranovsky: 238 km, timing points, profile');
r = await call('POST', '/api/v1/scenarios/{id}/runs', `/api/v1/scenarios/${id}/runs`,
  { token: viewer, body: { train: 'nope', from: 'KHS', to: 'BAR' } });
check(r.status === 400 && /train/.test(r.json.error), 'a run of an unknown train: 400 naming the field');

r = await call('GET', '/api/v1/scenarios/{id}/conflicts', `/api/v1/scenarios/${id}/conflicts`, { token: viewer });
check(r.status === 200 && Array.isArray(r.json) && r.json.length === 0, 'conflicts of the flagship day: none');

r = await call('GET', '/api/v1/scenarios/{id}/diagram', `/api/v1/scenarios/${id}/diagram?from=KHS&to=BAR`, { token: viewer });
check(r.status === 200 && r.json.services.length === 12 && r.json.stairs.length > 100 && r.json.line.points.length > 2,
  'the diagram of KHS-BAR: 12 paths and their stairs');

r = await call('GET', '/api/v1/scenarios/{id}/headway', `/api/v1/scenarios/${id}/headway?from=KHS&to=BAR&trains=freight_2te116,passenger_2te116`, { token: viewer });
check(r.status === 200 && r.json.headways.length === 3 && r.json.headways.every((h) => h.headway_s > 0),
  'headway of two trains on Khasan - Baranovsky: each behind the other and crossing');
r = await call('GET', '/api/v1/scenarios/{id}/capacity', `/api/v1/scenarios/${id}/capacity?from=KHS&to=BAR&window=06:00-12:00`, { token: viewer });
check(r.status === 200 && r.json.occupancy > 0 && r.json.trains > 0, `capacity of the line 06:00-12:00: occupancy ${r.json && r.json.occupancy}`);
r = await call('GET', '/api/v1/scenarios/{id}/capacity', `/api/v1/scenarios/${id}/capacity?from=KHS&to=NOWHERE&window=06:00-12:00`, { token: viewer });
check(r.status === 400 && /NOWHERE/.test(r.json.error), 'an unknown point: 400 naming it');

const req = JSON.parse(JSON.stringify(hop('extra', 'KHS', 'BAR', '06:00')));
r = await call('POST', '/api/v1/scenarios/{id}/special', `/api/v1/scenarios/${id}/special`, { token: viewer, body: req });
check(r.status === 403, 'a viewer cannot ask for a special plan: 403');
r = await call('POST', '/api/v1/scenarios/{id}/special', `/api/v1/scenarios/${id}/special`, { token: planner, body: { special: req } });
check(r.status === 201 && r.json.plan_id > 0 && r.json.feasible === true && r.json.special.calls.length >= 2,
  `a special plan: 201 with plan_id ${r.json && r.json.plan_id}`);
if (r.json && 'security_schedule' in r.json)
  check(Array.isArray(r.json.security_schedule.objects) && typeof r.json.security_schedule.rules === 'string',
    'the security schedule passed through ({rules, objects, summary})');
const plan = r.json.plan_id;
r = await call('GET', '/api/v1/scenarios/{id}/plans/{plan_id}', `/api/v1/scenarios/${id}/plans/${plan}`, { token: viewer });
check(r.status === 200 && r.json.special, 'the stored plan');

// The same capacity asked for twice: a second plan made before the first is booked.
r = await call('POST', '/api/v1/scenarios/{id}/special', `/api/v1/scenarios/${id}/special`, { token: planner, body: hop('rival', 'KHS', 'BAR', '06:00') });
const rival = r.json.plan_id;
r = await call('POST', '/api/v1/scenarios/{id}/bookings', `/api/v1/scenarios/${id}/bookings`, { token: viewer, body: { plan_id: plan } });
check(r.status === 403, 'a viewer cannot book: 403');
r = await call('POST', '/api/v1/scenarios/{id}/bookings', `/api/v1/scenarios/${id}/bookings`, { token: planner, body: { plan_id: plan } });
check(r.status === 201 && r.json.id > 0, 'booking the plan: 201');
const booking = r.json.id;
r = await call('POST', '/api/v1/scenarios/{id}/bookings', `/api/v1/scenarios/${id}/bookings`, { token: planner, body: { plan_id: rival } });
check(r.status === 409 && r.json.conflicting_booking === booking,
  `the rival plan for the same path: 409 naming booking ${booking} (${r.text})`);
r = await call('POST', '/api/v1/scenarios/{id}/bookings', `/api/v1/scenarios/${id}/bookings`, { token: planner, body: { plan_id: plan } });
check(r.status === 409 && r.json.conflicting_booking === booking, 'the same plan again: 409');
r = await call('GET', '/api/v1/scenarios/{id}/bookings', `/api/v1/scenarios/${id}/bookings`, { token: viewer });
check(r.status === 200 && r.json.length === 1 && r.json[0].booked_by === 'pat', 'the bookings list it, with who');
r = await call('GET', '/api/v1/scenarios/{id}/conflicts', `/api/v1/scenarios/${id}/conflicts`, { token: viewer });
check(r.status === 200 && r.json.length === 0, 'the timetable as it is now: no conflicts');
r = await call('DELETE', '/api/v1/scenarios/{id}/bookings/{booking_id}', `/api/v1/scenarios/${id}/bookings/${booking}`, { token: viewer });
check(r.status === 403, 'a viewer cannot cancel: 403');
r = await call('DELETE', '/api/v1/scenarios/{id}/bookings/{booking_id}', `/api/v1/scenarios/${id}/bookings/${booking}`, { token: planner });
check(r.status === 200, 'cancel the booking: 200');
r = await call('POST', '/api/v1/scenarios/{id}/bookings', `/api/v1/scenarios/${id}/bookings`, { token: planner, body: { plan_id: rival } });
check(r.status === 201, 'the rival plan once the first is cancelled: 201');
r = await call('GET', '/api/v1/scenarios/{id}/audit', `/api/v1/scenarios/${id}/audit`, { token: viewer });
const actions = r.json.map((a) => a.action).join(',');
check(r.status === 200 && actions === 'upload,book,cancel,book', `the audit trail: ${actions}`);

// Jobs: asked to answer at once (Prefer: respond-async), a request answers 202 and a job.
r = await call('POST', '/api/v1/scenarios/{id}/special', `/api/v1/scenarios/${id}/special`,
  { token: planner, body: hop('later', 'KHS', 'BAR', '12:00'), headers: { Prefer: 'respond-async' } });
check(r.status === 202 && r.json.job_id > 0 && r.json.state === 'running' && typeof r.json.progress === 'number',
  'a long request: 202 with job_id, state, progress');
used.push(['GET', '/api/v1/jobs/{id}']);
const j = await waitJob(P, planner, r.json.job_id);
check(j.status === 200 && j.json.state === 'done' && j.json.status === 201 && j.json.result.plan_id > 0,
  'the job when done: its status and result');
r = await call('GET', '/api/v1/jobs/{id}', `/api/v1/jobs/${j.json.job_id}`, { token: viewer });
check(r.status === 404, 'another token does not see the job: 404');
r = await call('GET', '/api/v1/scenarios/{id}/conflicts', `/api/v1/scenarios/${id}/conflicts`, { token: planner, headers: { Prefer: 'respond-async' } });
r = await call('DELETE', '/api/v1/jobs/{id}', `/api/v1/jobs/${r.json.job_id}`, { token: planner });
check(r.status === 200 && ['cancelling', 'cancelled', 'done'].includes(r.json.state), `cancel a job: ${r.json && r.json.state}`);
r = await waitJob(P, planner, r.json.job_id);
check(r.status === 200 && ['cancelled', 'done'].includes(r.json.state), `the cancelled job stops: ${r.json && r.json.state}`);

// Limits: JSON nested too deep.
r = await call('POST', '/api/v1/scenarios/{id}/runs', `/api/v1/scenarios/${id}/runs`, { token: viewer, body: '['.repeat(100) + ']'.repeat(100) });
check(r.status === 400 && /deeper/.test(r.json.error), 'JSON nested 100 deep: 400');

// /openapi.json: every documented path and method answers (not 404/405), every call made
// above is documented, an undocumented path is 404.
r = await request(P, 'GET', '/openapi.json');
check(r.status === 200 && r.json.openapi.startsWith('3.'), '/openapi.json is an OpenAPI 3 document');
const doc = r.json;
for (const [tmpl, item] of Object.entries(doc.paths)) {
  for (const method of Object.keys(item)) {
    const path = tmpl.replace('{id}', String(id)).replace('{plan_id}', String(plan)).replace('{booking_id}', '999');
    const res = await request(P, method.toUpperCase(), path, { token: admin, body: method === 'get' || method === 'delete' ? undefined : '{}' });
    check(res.status !== 404 || /no (active booking|job|plan)/.test(res.text), `documented ${method.toUpperCase()} ${tmpl} answers (${res.status})`);
    check(res.status !== 405, `documented ${method.toUpperCase()} ${tmpl} is allowed`);
  }
}
for (const [method, tmpl] of used)
  check(doc.paths[tmpl] && doc.paths[tmpl][method.toLowerCase()], `answered ${method} ${tmpl} is documented`);
for (const path of ['/api/v1/nothing', '/api/v1/scenarios/1/nothing', '/api/v2/health'])
  check((await request(P, 'GET', path, { token: admin })).status === 404, `undocumented ${path}: 404`);
r = await request(P, 'PUT', '/api/v1/health');
check(r.status === 405, 'a method a path does not take: 405');

// The access log: one JSON line per request, the token's name, never a token.
check(await srv.stop() === 0, `the server stops cleanly (exit 0; ${srv.stderr().split('\n').filter((l) => /Sanitizer|ERROR/.test(l)).slice(0, 2).join(' ')})`);
const lines = readFileSync(log, 'utf8').trim().split('\n');
const entries = lines.map((l) => JSON.parse(l));
check(entries.every((e) => e.time && e.method && e.path && e.status && typeof e.duration_ms === 'number'),
  `access log: ${lines.length} JSON lines with time, method, path, status, duration`);
check(entries.some((e) => e.token === 'pat' && e.status === 201), 'the log names the token');
const all = readFileSync(log, 'utf8');
check(![admin, planner, viewer].some((t) => all.includes(t)) && !all.includes('tmn_'), 'no token in the log');
cleanup(dir);
done();

function srcDir() { return join(process.argv[3], 'examples', 'flagship'); }
