// postgres.mjs: the store on PostgreSQL, two tumen serve processes on one database: 200
// booking requests from 16 clients, half to each server, over 12 overlapping plans: every
// request answered 201 or 409, no plan booked twice, and `tumen conflicts` on the final
// day finds none. The test starts its own PostgreSQL (Debian's postgresql, a temporary
// cluster on a Unix socket in a temporary folder, no TCP); without one it says so and
// exits 77 (skipped), a failure under CI=true.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TUMEN, FLAGSHIP, check, done, tempDir, token, startServer, request, uploadFlagship, hop,
  cleanup } from './lib.mjs';

const bin = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';
const root = process.getuid && process.getuid() === 0;
function skip(why) {
  console.log(`SKIP postgres: ${why}`);
  process.exit(process.env.CI === 'true' ? 1 : 77);
}
if (!existsSync(join(bin, 'initdb'))) skip(`no PostgreSQL at ${bin}`);
const dir = tempDir();
const pgdata = join(dir, 'pg');
mkdirSync(pgdata);
const as = (cmd, args) => (root ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
  : spawnSync(cmd, args, { encoding: 'utf8' }));
if (root) {
  chmodSync(dir, 0o755);
  const c = spawnSync('chown', ['postgres', pgdata]);
  if (c.status !== 0) skip('cannot hand the data folder to the postgres user');
}
const port = 20000 + Math.floor(Math.random() * 20000); // names the socket file only
let r = as(join(bin, 'initdb'), ['-D', pgdata, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
if (r.status !== 0) { cleanup(dir); skip(`initdb failed: ${(r.stderr || '').trim().split('\n').pop()}`); }
r = as(join(bin, 'pg_ctl'), ['-D', pgdata, '-w', '-l', join(pgdata, 'log'), '-o',
  `-c listen_addresses='' -k ${pgdata} -p ${port} -c fsync=off`, 'start']);
if (r.status !== 0) { cleanup(dir); skip(`pg_ctl start failed: ${(r.stderr || r.stdout || '').trim()}`); }
const stopPg = () => as(join(bin, 'pg_ctl'), ['-D', pgdata, '-m', 'immediate', 'stop']);

try {
  const db = `host=${pgdata} port=${port} user=postgres dbname=postgres`;
  const admin = token(db, 'ada', 'admin');
  const planners = Array.from({ length: 4 }, (_, i) => token(db, `planner${i}`, 'planner'));
  const [a, b] = await Promise.all([startServer(db, ['--threads', '8']), startServer(db, ['--threads', '8'])]);
  check(a.port !== b.port, `two servers on one PostgreSQL (ports ${a.port}, ${b.port})`);
  const id = await uploadFlagship(a.port, admin);
  const seen = await request(b.port, 'GET', `/api/v1/scenarios/${id}`, { token: admin });
  check(seen.status === 200 && seen.json.services.length === 12, 'the scenario uploaded on one is seen on the other');

  const K = 12, plans = [];
  for (let k = 0; k < K; k += 4) {
    const batch = await Promise.all([0, 1, 2, 3].map((d) => {
      const min = 6 * 60 + 20 * (k + d);
      const dep = `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
      return request((k + d) % 2 ? a.port : b.port, 'POST', `/api/v1/scenarios/${id}/special`, { token: planners[d], body: hop(`x${k + d}`, 'KHS', 'BAR', dep) });
    }));
    for (const x of batch) {
      if (x.status !== 201) throw new Error(`special: ${x.status} ${x.text}`);
      plans.push(x.json.plan_id);
    }
  }
  check(plans.length === K, `${K} overlapping plans made on both servers`);
  const N = 200, answers = [];
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async (_, c) => {
    while (next < N) {
      const i = next++;
      const plan = plans[(i * 7 + c) % K];
      const x = await request(c % 2 ? a.port : b.port, 'POST', `/api/v1/scenarios/${id}/bookings`, { token: planners[c % 4], body: { plan_id: plan } });
      answers.push({ plan, status: x.status });
    }
  }));
  const booked = answers.filter((x) => x.status === 201);
  check(answers.every((x) => x.status === 201 || x.status === 409), `every answer 201 or 409 (${booked.length} booked, ${N - booked.length} refused)`);
  check(new Set(booked.map((x) => x.plan)).size === booked.length, 'no plan booked twice');
  const list = (await request(a.port, 'GET', `/api/v1/scenarios/${id}/bookings`, { token: admin })).json;
  const active = list.filter((x) => !x.cancelled);
  check(active.length === booked.length, `the database holds exactly the ${booked.length} bookings answered 201`);
  const conf = await request(b.port, 'GET', `/api/v1/scenarios/${id}/conflicts`, { token: admin });
  check(conf.status === 200 && conf.json.length === 0, 'no conflict in the final timetable');
  const files = ['network.yaml', 'train.yaml', 'timetable.yaml'].map((n) => join(FLAGSHIP, n));
  active.forEach((x, i) => { const f = join(dir, `booking${i}.yaml`); writeFileSync(f, x.services); files.push(f); });
  const out = execFileSync(TUMEN, ['conflicts', ...files, '--json'], { encoding: 'utf8' });
  check(JSON.parse(out).length === 0, 'tumen conflicts on the final day: none');
  const audit = (await request(b.port, 'GET', `/api/v1/scenarios/${id}/audit`, { token: admin })).json;
  check(audit.filter((x) => x.action === 'book').length === booked.length, 'the audit holds each booking');
  // A priority plan booked on one server and cancelled on the other (the same transactions
  // on PostgreSQL): the audit keeps what it held and cancelled, and what was restored.
  const pr = await request(a.port, 'POST', `/api/v1/scenarios/${id}/special`, { token: planners[0],
    body: { id: 'prio', train: 'passenger_2te116', from: 'KHS', to: 'BAR', earliest_departure: '15:30', mode: 'priority',
      costs: { special: { delay_per_min: 100000, cancel: 10000000 } } } });
  check(pr.status === 201 && pr.json.changes.length > 0, `a priority plan that changes ${pr.json && pr.json.changes.length} trains`);
  const pb = await request(b.port, 'POST', `/api/v1/scenarios/${id}/bookings`, { token: planners[1], body: { plan_id: pr.json.plan_id } });
  check(pb.status === 201 && pb.json.held.length + pb.json.cancelled.length === pr.json.changes.length, `booked on the other server: ${pb.text}`);
  const pd = await request(a.port, 'DELETE', `/api/v1/scenarios/${id}/bookings/${pb.json.id}`, { token: planners[2] });
  check(pd.status === 200 && pd.json.restored, `cancelled on the first, its trains restored: ${pd.text}`);
  const trail = (await request(a.port, 'GET', `/api/v1/scenarios/${id}/audit`, { token: admin })).json.filter((x) => x.booking === pb.json.id);
  check(trail.length === 2 && trail[0].detail.held.length === pb.json.held.length && trail[1].detail.restored,
    'the audit keeps what it held and cancelled and what the cancellation restored');
  const chk = execFileSync(TUMEN, ['serve', 'check', '--db', db], { encoding: 'utf8' }).trim();
  check(chk === 'integrity_check: ok', `tumen serve check on PostgreSQL: ${chk}`);
  await Promise.all([a.stop(), b.stop()]);
} finally {
  stopPg();
  cleanup(dir);
}
done();
