// priority.mjs: booking a priority plan applies the whole plan to the shared day: the trains
// it holds run retimed, those it cancels leave the day, the special is added; the audit
// keeps which. A plan made before another booking changed a train it holds or cancels is
// refused (409 naming that booking); cancelling a booking restores its trains unless a later
// booking rests on them (409 naming it). After each step the day (the uploaded files and
// every active booking's change, as the bookings list gives them) is re-checked by `tumen
// conflicts`, an oracle outside the server.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TUMEN, FLAGSHIP, check, done, tempDir, token, startServer, request, uploadFlagship,
  cleanup } from './lib.mjs';

const dir = tempDir();
const db = join(dir, 'store.db');
const admin = token(db, 'ada', 'admin');
const planner = token(db, 'pat', 'planner');
const srv = await startServer(db, ['--threads', '4']);
const P = srv.port;
const id = await uploadFlagship(P, admin);
const S = `/api/v1/scenarios/${id}`;

// A priority special Khasan - Baranovsky; cancelling a passenger train is dear, so that the
// plan holds some trains and cancels others (costs assumed for the test).
// With keepSpecials the plan leaves booked specials alone (dear to hold or cancel).
const priority = (name, dep, keepSpecials) => ({
  id: name, train: 'passenger_2te116', from: 'KHS', to: 'BAR', earliest_departure: dep, mode: 'priority',
  costs: { passenger: { delay_per_min: 5, cancel: 100000 }, freight: { delay_per_min: 1, cancel: 200 },
    ...(keepSpecials ? { special: { delay_per_min: 100000, cancel: 10000000 } } : {}) },
});
async function plan(name, dep, keepSpecials = false) {
  const r = await request(P, 'POST', `${S}/special`, { token: planner, body: priority(name, dep, keepSpecials) });
  if (r.status !== 201) throw new Error(`special ${name}: ${r.status} ${r.text}`);
  return r.json;
}
const book = (planId) => request(P, 'POST', `${S}/bookings`, { token: planner, body: { plan_id: planId } });
const cancel = (booking) => request(P, 'DELETE', `${S}/bookings/${booking}`, { token: planner });
const services = async () => (await request(P, 'GET', S, { token: planner })).json.services;

// The day as the command line sees it: the uploaded files, then each active booking's change.
let step = 0;
function oracle() {
  return request(P, 'GET', `${S}/bookings`, { token: planner }).then((r) => {
    const files = ['network.yaml', 'train.yaml', 'timetable.yaml'].map((n) => join(FLAGSHIP, n));
    r.json.filter((b) => !b.cancelled).forEach((b) => {
      const f = join(dir, `day${step}-booking${b.id}.yaml`);
      writeFileSync(f, b.services);
      files.push(f);
    });
    step++;
    const conflicts = JSON.parse(execFileSync(TUMEN, ['conflicts', ...files, '--json'], { encoding: 'utf8' }));
    const tt = JSON.parse(execFileSync(TUMEN, ['timetable', ...files, '--json'], { encoding: 'utf8' }));
    return { conflicts, services: tt.services };
  });
}
const before = await oracle();
check(before.conflicts.length === 0 && before.services.length === 12, 'the uploaded day: 12 services, no conflict');
const departure = (day, sid) => { const s = day.services.find((x) => x.id === sid); return s && s.departure_s; };
const arrival = (day, sid) => { const s = day.services.find((x) => x.id === sid); return s && s.arrival_s; };

// Two plans on the same day: A, and B, which changes some of the same trains.
const A = await plan('alpha', '15:30');
const B = await plan('bravo', '16:00');
const heldA = A.changes.filter((c) => !c.cancelled).map((c) => c.service);
const cancelledA = A.changes.filter((c) => c.cancelled).map((c) => c.service);
check(A.mode === 'priority' && heldA.length > 0 && cancelledA.length > 0,
  `plan A holds ${heldA.join(',')} and cancels ${cancelledA.join(',')}`);
check(Array.isArray(A.planned_on) && A.planned_on.length === 0, 'plan A was made on the day as uploaded (planned_on: [])');
const shared = B.changes.map((c) => c.service).filter((s) => A.changes.some((c) => c.service === s));
check(shared.length > 0, `plan B changes trains A changes too (${shared.join(',')})`);

// Book A: the whole plan enters the day.
let r = await book(A.plan_id);
check(r.status === 201 && r.json.held.map((h) => h.service).join() === heldA.join() &&
  r.json.cancelled.join() === cancelledA.join(), `booking A: 201 with what it held and cancelled (${r.text})`);
const bookingA = r.json.id;
r = await request(P, 'GET', `${S}/conflicts`, { token: planner });
check(r.status === 200 && r.json.length === 0, 'the server finds no conflict on the day with A');
let now = await services();
check(cancelledA.every((s) => !now.some((x) => x.id === s)) && heldA.every((s) => now.some((x) => x.id === s)) &&
  now.some((x) => x.convoy && x.convoy.startsWith('alpha')), 'cancelled trains left the day, held ones and the special are on it');
const withA = await oracle();
check(withA.conflicts.length === 0, 'tumen conflicts on the exported day with A: none');
check(withA.services.length === 12 - cancelledA.length + 1, `the day has ${withA.services.length} services (12 - ${cancelledA.length} cancelled + the special)`);
for (const h of A.changes.filter((c) => !c.cancelled)) {
  const late = Math.max(departure(withA, h.service) - departure(before, h.service), arrival(withA, h.service) - arrival(before, h.service));
  check(late >= h.delay_s - 1, `${h.service} runs held: ${late.toFixed(0)} s later (plan: ${h.delay_s} s at ${h.at})`);
}
r = await request(P, 'GET', `${S}/audit`, { token: planner });
const booked = r.json.filter((a) => a.action === 'book').pop();
check(booked && booked.booking === bookingA && booked.detail && booked.detail.held.length === heldA.length &&
  booked.detail.cancelled.join() === cancelledA.join(), 'the audit keeps what A held and cancelled');

// B was planned before A was booked and changes the same trains: refused, naming A.
r = await book(B.plan_id);
check(r.status === 409 && r.json.conflicting_booking === bookingA && shared.includes(r.json.conflicting_train),
  `booking B (made before A was booked): 409 naming booking ${bookingA} (${r.text})`);

// D, planned on the day with A at the costs' defaults, cancels or holds A's special: a
// booked train is its booker's, refused naming A.
const D = await plan('delta', '16:00');
const specialA = now.find((x) => x.convoy && x.convoy.startsWith('alpha') && x.category === 'special');
check(specialA && D.changes.some((c) => c.service === specialA.id), `plan D (default costs) changes A's special ${specialA && specialA.id}`);
r = await book(D.plan_id);
check(r.status === 409 && r.json.conflicting_booking === bookingA && r.json.conflicting_train === specialA.id,
  `booking D: 409 naming booking ${bookingA}, whose special it would take (${r.text})`);

// C, planned on the day with A, holds or cancels a train again: booked; then A cannot be
// cancelled under it, C can, then A.
let C = null;
for (const dep of ['17:00', '18:00', '16:30', '19:00', '20:00', '21:00', '22:00']) {
  const c = await plan(`charlie${dep.replace(':', '')}`, dep, true);
  console.log(`     C at ${dep}: ${JSON.stringify(c.changes.map((x) => x.service))}`);
  if (c.changes.some((x) => A.changes.some((a) => a.service === x.service)) &&
      !c.changes.some((x) => x.service === specialA.id)) { C = c; break; }
}
check(C !== null && C.planned_on.join() === String(bookingA), `plan C (planned on the day with booking ${bookingA}) changes a train A changed`);
r = await book(C.plan_id);
check(r.status === 201, `booking C: 201 (${r.text})`);
const bookingC = r.json.id;
const withC = await oracle();
check(withC.conflicts.length === 0, 'tumen conflicts on the day with A and C: none');
r = await cancel(bookingA);
check(r.status === 409 && r.json.conflicting_booking === bookingC, `cancelling A under C: 409 naming booking ${bookingC} (${r.text})`);
r = await cancel(bookingC);
check(r.status === 200 && r.json.cancelled === true && r.json.restored, `cancelling C: 200, it says what it restores (${r.text})`);
r = await cancel(bookingA);
check(r.status === 200 && r.json.restored.cancelled.join() === cancelledA.join(), 'then cancelling A: 200, its trains restored');
const after = await oracle();
check(after.conflicts.length === 0, 'tumen conflicts on the day after both cancellations: none');
check(after.services.length === 12 && before.services.every((s) => departure(after, s.id) === s.departure_s && arrival(after, s.id) === s.arrival_s),
  'the day is the uploaded one again: every train as it was');
now = await services();
check(now.length === 12, 'the server lists the 12 uploaded services again');
r = await request(P, 'GET', `${S}/audit`, { token: planner });
const restored = r.json.filter((a) => a.action === 'cancel' && a.booking === bookingA).pop();
check(restored && restored.detail && restored.detail.restored.cancelled.join() === cancelledA.join(), 'the audit keeps what the cancellation restored');

// A's plan booked again on the day as uploaded: its trains are as it planned on.
r = await book(A.plan_id);
check(r.status === 201, `A booked again once the day is as it planned on: 201 (${r.text})`);
check(await srv.stop() === 0, `the server stops cleanly (exit 0; ${srv.stderr().split('\n').filter((l) => /Sanitizer|ERROR/.test(l)).slice(0, 2).join(' ')})`);
cleanup(dir);
done();
