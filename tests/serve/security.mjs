// security.mjs: tumen serve under hostile input: a bad and a missing token, path traversal
// in an uploaded file's name, an oversized body (413), a slow client (the connection is
// closed after --timeout), SQL metacharacters in every name field (token, scenario, special
// request id, train, file name), and the store intact afterwards.
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TUMEN, check, done, tempDir, token, startServer, request, multipart, uploadFlagship, hop,
  cleanup } from './lib.mjs';

const dir = tempDir();
const db = join(dir, 'store.db');
const sql = "x'); DROP TABLE bookings; --\"";
const admin = token(db, sql, 'admin');
const planner = token(db, 'pat', 'planner');
const srv = await startServer(db, ['--max-body', '200000', '--timeout', '2']);
const P = srv.port;

let r = await request(P, 'GET', '/api/v1/whoami', { token: admin });
check(r.status === 200 && r.json.name === sql, 'a token named with SQL metacharacters works and keeps its name');
let e = '';
try { execFileSync(TUMEN, ['serve', 'token', 'add', sql, '--role', 'viewer', '--db', db], { stdio: 'pipe' }); } catch (x) { e = String(x.stderr); }
check(/exists already/.test(e), 'the same token name again is refused');
for (const h of ['', 'Bearer', 'Bearer ', 'Basic abc', `Bearer ${admin}x`, `Bearer ${admin.slice(0, -1)}`, "Bearer ' OR 1=1 --"]) {
  r = await request(P, 'GET', '/api/v1/scenarios', { headers: h ? { Authorization: h } : {} });
  check(r.status === 401, `Authorization '${h.slice(0, 20)}...': 401`);
}

// Path traversal: a file name is a name, never a path.
for (const name of ['../../etc/passwd', '..', '/etc/passwd', 'a/b.yaml', '.hidden.yaml', 'a\\b.yaml', 'x%2f..%2fy']) {
  const mp = multipart([{ name, content: 'vehicles: []\n' }]);
  r = await request(P, 'POST', '/api/v1/scenarios', { token: admin, body: mp.body, headers: mp.headers });
  check(r.status === 400 && /file name/.test(r.json.error), `file name '${name}': 400`);
}
r = await request(P, 'POST', '/api/v1/scenarios?name=..%2F..%2Fx.yaml', { token: admin, body: 'vehicles: []\n' });
check(r.status === 400, 'a traversal in ?name=: 400');

// An oversized body: 413, declared or not.
const big = 'x'.repeat(300000);
r = await request(P, 'POST', '/api/v1/scenarios?name=big.yaml', { token: admin, body: big });
check(r.status === 413, 'a 300 kB body against --max-body 200000: 413');
r = await new Promise((resolve) => {
  // chunked: no Content-Length to refuse it by
  const s = net.connect(P, '127.0.0.1', () => {
    s.write(`POST /api/v1/scenarios HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`);
    for (let i = 0; i < 30; i++) s.write(`2710\r\n${'y'.repeat(10000)}\r\n`);
    s.write('0\r\n\r\n');
  });
  let got = '';
  s.on('data', (d) => { got += d; });
  s.on('close', () => resolve(got));
  s.on('error', () => resolve(got));
});
check(/^HTTP\/1\.1 413/.test(r), 'a 300 kB chunked body: 413');

// A slow client: headers never finished; the server closes the connection after --timeout
// (2 s). Waits at most 10 s.
const closed = await new Promise((resolve) => {
  const s = net.connect(P, '127.0.0.1', () => s.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n'));
  const t0 = Date.now();
  const guard = setTimeout(() => { s.destroy(); resolve(-1); }, 10000);
  s.on('close', () => { clearTimeout(guard); resolve(Date.now() - t0); });
  s.on('error', () => {});
});
check(closed > 0, `a slow client is cut off (after ${closed} ms)`);
r = await request(P, 'GET', '/api/v1/health');
check(r.status === 200, 'the server still answers');

// SQL metacharacters in the scenario name, a special request id and a train name.
const id = await uploadFlagship(P, admin);
const mp = multipart(['network.yaml', 'train.yaml', 'timetable.yaml'].map((n) => ({ name: n, content: readFileSync(join(process.argv[3], 'examples', 'flagship', n)) })));
r = await request(P, 'POST', `/api/v1/scenarios?name=${encodeURIComponent(sql)}`, { token: admin, body: mp.body, headers: mp.headers });
check(r.status === 201, 'a scenario named with SQL metacharacters: 201');
r = await request(P, 'GET', `/api/v1/scenarios/${r.json.id}`, { token: admin });
check(r.status === 200 && r.json.name === sql, 'its name comes back as given');
r = await request(P, 'POST', `/api/v1/scenarios/${id}/special`, { token: planner, body: hop(sql, 'KHS', 'BAR', '06:00') });
check(r.status === 201 || r.status === 400, `a special request id with SQL metacharacters: ${r.status} ${r.status === 400 ? r.json.error : ''}`);
if (r.status === 201) {
  const b = await request(P, 'POST', `/api/v1/scenarios/${id}/bookings`, { token: planner, body: { plan_id: r.json.plan_id } });
  check(b.status === 201, `and its plan is booked (${b.status} ${b.text})`);
}
r = await request(P, 'POST', `/api/v1/scenarios/${id}/special`, { token: planner, body: hop('ok', 'KHS', 'BAR', '06:00', sql) });
check(r.status === 400 && /train/.test(r.json.error), 'a train name with SQL metacharacters: 400 unknown train');
r = await request(P, 'POST', `/api/v1/scenarios/${id}/runs`, { token: planner, body: { train: sql, from: sql, to: 'BAR' } });
check(r.status === 400, 'a run with SQL metacharacters in train and from: 400');
r = await request(P, 'POST', `/api/v1/scenarios/${id}/bookings`, { token: planner, body: { plan_id: '1 OR 1=1' } });
check(r.status === 400, 'a plan_id that is not an integer: 400');
r = await request(P, 'GET', `/api/v1/scenarios/${id}%20OR%201=1/bookings`, { token: planner });
check(r.status === 404, 'an id that is not an integer in the path: 404');
r = await request(P, 'GET', `/api/v1/scenarios/${id}/bookings`, { token: planner });
check(r.status === 200 && Array.isArray(r.json), 'the bookings table is still there');
check(await srv.stop() === 0, `the server stops cleanly (exit 0; ${srv.stderr().split('\n').filter((l) => /Sanitizer|ERROR/.test(l)).slice(0, 2).join(' ')})`);
const integrity = execFileSync(TUMEN, ['serve', 'check', '--db', db], { encoding: 'utf8' }).trim();
check(integrity === 'integrity_check: ok', `the store: ${integrity}`);
const srv2 = await startServer(db);
r = await request(srv2.port, 'GET', '/api/v1/whoami', { token: planner });
check(r.status === 200 && r.json.name === 'pat', 'after a restart the tokens are all there');
await srv2.stop();
cleanup(dir);
done();
