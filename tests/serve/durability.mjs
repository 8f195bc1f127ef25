// durability.mjs: kill -9 the server in the middle of a stream of bookings, restart it on
// the same store: every booking answered 201 is there, none other (but the one request in
// flight at the kill, whose answer never came, may be), and the store passes SQLite's
// integrity check (tumen serve check).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { TUMEN, check, done, tempDir, token, startServer, request, uploadFlagship, hop,
  cleanup } from './lib.mjs';

const dir = tempDir();
const db = join(dir, 'store.db');
const admin = token(db, 'ada', 'admin');
const planner = token(db, 'pat', 'planner');
let srv = await startServer(db, ['--threads', '4']);
const id = await uploadFlagship(srv.port, admin);

// Short hops Khasan - Makhalino an hour apart: most can be booked together.
const plans = [];
for (let h = 0; h < 20; h += 4) {
  const batch = await Promise.all([0, 1, 2, 3].map((d) => request(srv.port, 'POST', `/api/v1/scenarios/${id}/special`,
    { token: planner, body: hop(`h${h + d}`, 'KHS', 'MAK', `${String(1 + h + d).padStart(2, '0')}:10`) })));
  for (const r of batch) {
    if (r.status !== 201) throw new Error(`special: ${r.status} ${r.text}`);
    plans.push(r.json.plan_id);
  }
}
check(plans.length === 20, '20 plans Khasan - Makhalino, an hour apart');

// The stream: one booking after another; the server is killed while the 12th is in flight.
const answered = new Map(); // plan -> booking id answered 201
let inFlight = null;
for (let i = 0; i < plans.length; i++) {
  const p = request(srv.port, 'POST', `/api/v1/scenarios/${id}/bookings`, { token: planner, body: { plan_id: plans[i] } })
    .catch(() => null); // no answer: the server was killed
  if (i === 11) {
    inFlight = plans[i];
    await new Promise((res) => setTimeout(res, 5 + Math.floor(Math.random() * 40)));
    await srv.kill9();
    const r = await p;
    if (r && r.status === 201) {
      answered.set(plans[i], r.json.id);
      inFlight = null;
    }
    break;
  }
  const r = await p;
  if (r && r.status === 201) answered.set(plans[i], r.json.id);
  else if (!r || r.status !== 409) throw new Error(`booking: ${r && r.status} ${r && r.text}`);
}
check(answered.size >= 5, `${answered.size} bookings answered 201 before the kill`);

const integrity = execFileSync(TUMEN, ['serve', 'check', '--db', db], { encoding: 'utf8' }).trim();
check(integrity === 'integrity_check: ok', `after kill -9: ${integrity}`);
srv = await startServer(db, ['--threads', '4']);
const list = (await request(srv.port, 'GET', `/api/v1/scenarios/${id}/bookings`, { token: planner })).json;
const stored = new Map(list.filter((b) => !b.cancelled).map((b) => [b.plan_id, b.id]));
check([...answered].every(([plan, b]) => stored.get(plan) === b), 'every booking answered 201 is there');
const extra = [...stored.keys()].filter((plan) => !answered.has(plan));
check(extra.length === 0 || (extra.length === 1 && extra[0] === inFlight),
  `none other (${extra.length ? 'the one in flight at the kill was committed' : 'nothing unanswered'})`);
const r = await request(srv.port, 'GET', `/api/v1/scenarios/${id}/conflicts`, { token: planner });
check(r.status === 200 && r.json.length === 0, 'the restarted server: no conflicts');
const b = await request(srv.port, 'POST', `/api/v1/scenarios/${id}/bookings`, { token: planner, body: { plan_id: plans[19] } });
check(b.status === 201 || b.status === 409, `booking goes on after the restart (${b.status})`);
await srv.stop();
cleanup(dir);
done();
