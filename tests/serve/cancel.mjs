// cancel.mjs: cancelling a special request stops the search itself. On a generated day of
// 2000 trains (tumen gen) a priority request searches for minutes; cancelled ~100 ms after
// it starts, and again once the timetable's runs are done and the branch and bound is
// under way, the job leaves "cancelling" for "cancelled" within a generous bound (10 s, not
// a timing measure: without the search polling the cancel it ran on for minutes; a plain
// build stops within a second, an ASan build on a busy machine took 3 s, most of it
// reading the day, which is not cancellable), and the
// service stays healthy: it answers, computes, and stops cleanly (exit 0, so no sanitizer
// report under ASan).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TUMEN, check, done, tempDir, token, startServer, request, multipart, cleanup } from './lib.mjs';

const dir = tempDir();
const db = join(dir, 'store.db');
const admin = token(db, 'ada', 'admin');
const planner = token(db, 'pat', 'planner');
const day = join(dir, 'day');
execFileSync(TUMEN, ['gen', 'network', '--km', '1000', '--trains', '2000', '--seed', '1', '-o', day]);
const srv = await startServer(db, ['--threads', '4']);
const P = srv.port;
const mp = multipart(['network.yaml', 'trains.yaml', 'timetable.yaml'].map((n) => ({ name: n, content: readFileSync(join(day, n)) })));
let r = await request(P, 'POST', '/api/v1/scenarios?name=generated', { token: admin, body: mp.body, headers: mp.headers });
check(r.status === 201, `the generated day uploaded (${r.status})`);
const S = `/api/v1/scenarios/${r.json.id}`;

// Sauingen - Grerwald (seed 1) across the day's busiest lines, as fast as it can, with the
// largest node budget a request may ask for (the default budget of 500 nodes ends the search
// in well under a second on this day, before a cancel could land mid-search).
const ask = () => request(P, 'POST', `${S}/special`, { token: planner, headers: { Prefer: 'respond-async' },
  body: { id: 'big', train: 'regional_emu', from: 'SAU', to: 'GRE', earliest_departure: '08:00', mode: 'priority', max_nodes: 10000000 } });
const job = (id) => request(P, 'GET', `/api/v1/jobs/${id}`, { token: planner, headers: { Prefer: 'respond-async' } });
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

// Cancels the job and waits (at most 10 s) for it to stop: the state it ends in, and when.
async function cancelAndWait(id) {
  const c = await request(P, 'DELETE', `/api/v1/jobs/${id}`, { token: planner });
  const t0 = Date.now();
  let state = c.json && c.json.state;
  while ((state === 'running' || state === 'cancelling') && Date.now() - t0 < 10000) {
    await sleep(50);
    state = (await job(id)).json.state;
  }
  return { answered: c.json && c.json.state, state, ms: Date.now() - t0 };
}

r = await ask();
check(r.status === 202 && r.json.state === 'running', 'a priority request on the generated day: 202, running');
await sleep(100);
let c = await cancelAndWait(r.json.job_id);
check(['cancelling', 'cancelled'].includes(c.answered) && c.state === 'cancelled',
  `cancelled after ~100 ms: ${c.answered}, then ${c.state} ${c.ms} ms later`);

// Again once the search is under way: the timetable's runs are done (progress 0.95).
r = await ask();
const id = r.json.job_id;
let progress = 0, state = 'running';
for (let t0 = Date.now(); state === 'running' && progress < 0.95 && Date.now() - t0 < 240000; await sleep(100))
  ({ progress, state } = (await job(id)).json);
check(state === 'running' && progress >= 0.95, `the search under way (progress ${progress}, ${state})`);
await sleep(300);
c = await cancelAndWait(id);
check(c.answered === 'cancelling' && c.state === 'cancelled', `cancelled mid-search: ${c.answered}, then ${c.state} ${c.ms} ms later`);
r = await job(id);
check(r.status === 200 && r.json.state === 'cancelled' && !('result' in r.json), 'the cancelled job has no result');

// The service is healthy: it answers and computes.
r = await request(P, 'GET', '/api/v1/health');
check(r.status === 200 && r.json.status === 'ok', 'health: ok');
r = await request(P, 'POST', `${S}/runs`, { token: planner, body: { train: 'regional_emu', from: 'SAU', to: 'GRO', departure: '09:00' } });
check(r.status === 200 && r.json.distance_m > 0, `a run on the same day: ${r.status}`);
check(await srv.stop() === 0, `the server stops cleanly (exit 0; ${srv.stderr().split('\n').filter((l) => /Sanitizer|ERROR|leak/.test(l)).slice(0, 2).join(' ')})`);
cleanup(dir);
done();
