// concurrency.mjs: 200 booking requests from 16 concurrent clients competing for
// overlapping paths (12 plans for the same line, leaving 20 min apart, each made against the
// day alone): every request is answered 201 or 409, no plan is booked twice, and the final
// timetable (the uploaded files and every booking's services) re-checked by `tumen
// conflicts` has no conflict.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TUMEN, FLAGSHIP, check, done, tempDir, token, startServer, request, uploadFlagship, hop,
  cleanup } from './lib.mjs';

const dir = tempDir();
const db = join(dir, 'store.db');
const admin = token(db, 'ada', 'admin');
const planners = Array.from({ length: 4 }, (_, i) => token(db, `planner${i}`, 'planner'));
const srv = await startServer(db, ['--threads', '16']);
const P = srv.port;
const id = await uploadFlagship(P, admin);

const K = 12;
const plans = [];
for (let k = 0; k < K; k += 4) {
  const batch = await Promise.all([0, 1, 2, 3].map((d) => {
    const min = 6 * 60 + 20 * (k + d); // on one single track, most of them overlap
    const dep = `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
    return request(P, 'POST', `/api/v1/scenarios/${id}/special`, { token: planners[d], body: hop(`x${k + d}`, 'KHS', 'BAR', dep) });
  }));
  for (const r of batch) {
    if (r.status !== 201) throw new Error(`special: ${r.status} ${r.text}`);
    plans.push(r.json.plan_id);
  }
}
check(plans.length === K, `${K} plans for Khasan - Baranovsky leaving 20 min apart from 06:00`);

const N = 200, CLIENTS = 16;
const answers = [];
let next = 0;
async function client(c) {
  while (next < N) {
    const i = next++;
    const plan = plans[(i * 7 + c) % K];
    const r = await request(P, 'POST', `/api/v1/scenarios/${id}/bookings`, { token: planners[c % 4], body: { plan_id: plan } });
    answers.push({ plan, status: r.status, json: r.json });
  }
}
await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
const booked = answers.filter((a) => a.status === 201);
const refused = answers.filter((a) => a.status === 409);
check(answers.length === N, `${N} requests answered`);
check(booked.length + refused.length === N, `every answer is 201 or 409 (${booked.length} booked, ${refused.length} refused${answers.filter((a) => a.status !== 201 && a.status !== 409).map((a) => `, ${a.status} ${a.json && a.json.error}`).join('')})`);
check(booked.length >= 1 && booked.length < K, 'some plans booked, the overlapping ones refused');
check(new Set(booked.map((a) => a.plan)).size === booked.length, 'no plan booked twice');
check(refused.every((a) => a.json && 'conflicting_booking' in a.json), 'every 409 names the conflicting booking');

const list = (await request(P, 'GET', `/api/v1/scenarios/${id}/bookings`, { token: admin })).json;
const active = list.filter((b) => !b.cancelled);
check(active.length === booked.length, `the store holds exactly the ${booked.length} bookings answered 201`);
const r = await request(P, 'GET', `/api/v1/scenarios/${id}/conflicts`, { token: admin });
check(r.status === 200 && r.json.length === 0, 'the server finds no conflict in the final timetable');
check(await srv.stop() === 0, `the server stops cleanly (exit 0; ${srv.stderr().split('\n').filter((l) => /Sanitizer|ERROR/.test(l)).slice(0, 2).join(' ')})`);

// The final timetable re-checked by the command line.
const files = ['network.yaml', 'train.yaml', 'timetable.yaml'].map((n) => join(FLAGSHIP, n));
active.forEach((b, i) => { const f = join(dir, `booking${i}.yaml`); writeFileSync(f, b.services); files.push(f); });
const out = execFileSync(TUMEN, ['conflicts', ...files, '--json'], { encoding: 'utf8' });
check(JSON.parse(out).length === 0, `tumen conflicts on the day with the ${active.length} bookings: none (0 double-booked)`);
cleanup(dir);
done();
