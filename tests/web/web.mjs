// web.mjs: the web page in a real browser (Debian's chromium, headless, driven by
// playwright-core) against a server on a free loopback port: sign in, draw the day (paths,
// stairs, tooltip, zoom), a speed-distance profile, ask for a special path, book it, see the
// booking appear; a second browser context signed in with a viewer token cannot book.
// Screenshots of each step go to OUT/web/.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { OUT, check, done, tempDir, token, startServer, request, uploadFlagship, hop, cleanup } from '../serve/lib.mjs';

const shots = join(OUT, 'web');
mkdirSync(shots, { recursive: true });
const dir = tempDir();
const db = join(dir, 'store.db');
const admin = token(db, 'ada', 'admin');
const planner = token(db, 'pat', 'planner');
const viewer = token(db, 'vic', 'viewer');
const srv = await startServer(db, ['--threads', '4']);
const base = `http://127.0.0.1:${srv.port}/`;
const id = await uploadFlagship(srv.port, admin);

const launch = (name) => chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), `tumen-web-${name}-`)), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'],
  viewport: { width: 1400, height: 1300 },
});
const shot = (page, name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
const ctx = await launch('planner');
let failed = false;
try {
  const page = ctx.pages()[0] || await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base);
  await page.fill('#token', planner);
  await page.click('#signin button');
  await page.waitForSelector('#who:has-text("planner")', { timeout: 10000 });
  check((await page.textContent('#who')).includes('pat'), 'signed in as pat (planner)');
  await shot(page, '01-signed-in');

  await page.click('#draw');
  await page.waitForSelector('#diagram-svg polyline.path', { timeout: 30000 });
  const paths = await page.locator('#diagram-svg polyline.path').count();
  const stairs = await page.locator('#diagram-svg rect.stair').count();
  check(paths === 12 && stairs > 100, `the day drawn: ${paths} train paths, ${stairs} blocking-time boxes`);
  check((await page.textContent('#conflict-count')).includes('0 conflicts'), 'no conflicts on the flagship day');
  await shot(page, '02-diagram');
  // hover on a point of the first train's path (the polyline's own coordinates)
  const at = await page.evaluate(() => {
    const line = document.querySelector('#diagram-svg polyline.path');
    const pts = line.getAttribute('points').trim().split(' ').map((p) => p.split(',').map(Number));
    const [a, b] = [pts[Math.floor(pts.length / 2) - 1], pts[Math.floor(pts.length / 2)]];
    const r = document.getElementById('diagram-svg').getBoundingClientRect();
    return { x: r.left + (a[0] + b[0]) / 2, y: r.top + (a[1] + b[1]) / 2 };
  });
  await page.mouse.move(at.x, at.y);
  await page.waitForSelector('#tooltip:not([hidden])', { timeout: 5000 }).catch(() => {});
  const tip = (await page.isVisible('#tooltip')) ? await page.textContent('#tooltip') : '';
  check(/\d\d:\d\d/.test(tip), `a tooltip names train and times: ${tip.replace(/\n/g, ' | ')}`);
  await shot(page, '03-tooltip');
  const dbox = await page.locator('#diagram').boundingBox();
  await page.mouse.move(dbox.x + dbox.width * 0.4, dbox.y + dbox.height / 2);
  for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -200);
  await page.mouse.move(dbox.x + dbox.width * 0.6, dbox.y + dbox.height / 2);
  await page.mouse.down();
  await page.mouse.move(dbox.x + dbox.width * 0.5, dbox.y + dbox.height / 2, { steps: 5 });
  await page.mouse.up();
  const ticks = await page.locator('#diagram-svg .axis text').allTextContents();
  check(ticks.some((t) => /:(15|30|45)$/.test(t) || /^\d\d:[0-5]0$/.test(t)), 'zoomed in: finer time ticks');
  await shot(page, '04-zoomed');
  await page.dblclick('#diagram');

  await page.selectOption('#run-train', 'freight_2te116');
  await page.click('#run-form button');
  await page.waitForSelector('#profile-svg polyline', { timeout: 30000 });
  check((await page.textContent('#run-summary')).includes('238.0 km'), `speed-distance profile: ${await page.textContent('#run-summary')}`);
  await shot(page, '05-profile');

  await page.selectOption('#sp-train', 'passenger_2te116');
  await page.selectOption('#sp-from', 'KHS');
  await page.selectOption('#sp-to', 'BAR');
  await page.fill('#sp-dep', '06:00');
  await page.check('#sp-escort');
  await page.selectOption('#sp-mode', 'fit');
  await page.click('#special-form button');
  await page.waitForSelector('#plan-summary', { timeout: 60000 });
  const summary = await page.textContent('#plan-summary');
  check(/plan \d+ \(fit\)/.test(summary), `the special plan: ${summary}`);
  check(await page.locator('#diagram-svg polyline.plan').count() >= 1, 'the plan drawn over the day');
  check(await page.locator('#security tbody tr').count() >= 2, 'its schedule as a table');
  await shot(page, '06-plan');
  await page.click('#book');
  await page.waitForSelector('#book-result.ok', { timeout: 30000 });
  check((await page.textContent('#book-result')).startsWith('booked'), `booked: ${await page.textContent('#book-result')}`);
  await page.waitForSelector('#bookings tbody tr', { timeout: 10000 });
  const row = await page.textContent('#bookings tbody tr');
  check(row.includes('pat') && row.includes('booked'), 'the booking appears in the list');
  await page.waitForFunction(() => document.querySelectorAll('#diagram-svg polyline.path').length > 12, null, { timeout: 30000 });
  check(await page.locator('#diagram-svg polyline.path').count() > 12, 'the booked trains are on the day now');
  await shot(page, '07-booked');
  check(errors.length === 0, `no script errors (${errors.join('; ')})`);
} catch (e) {
  failed = true;
  console.log(`FAIL ${e.message}`);
} finally {
  await ctx.close();
}

// A second plan, made by the planner through the API, that a viewer then tries to book.
const second = await request(srv.port, 'POST', `/api/v1/scenarios/${id}/special`, { token: planner, body: hop('later', 'KHS', 'BAR', '14:00') });
const vctx = await launch('viewer');
try {
  const page = vctx.pages()[0] || await vctx.newPage();
  await page.goto(base);
  await page.fill('#token', viewer);
  await page.click('#signin button');
  await page.waitForSelector('#who:has-text("viewer")', { timeout: 10000 });
  await page.waitForSelector('#bookings tbody tr', { timeout: 10000 });
  const before = await page.locator('#bookings tbody tr').count();
  await page.fill('#book-plan', String(second.json.plan_id));
  await page.click('#book-form button');
  await page.waitForSelector('#book-form-result.error', { timeout: 10000 });
  const msg = await page.textContent('#book-form-result');
  check(/403/.test(msg) && /planner/.test(msg), `a viewer cannot book: ${msg}`);
  await page.waitForTimeout(200);
  check(await page.locator('#bookings tbody tr').count() === before, 'and no booking appears');
  await shot(page, '08-viewer-refused');
} catch (e) {
  failed = true;
  console.log(`FAIL ${e.message}`);
} finally {
  await vctx.close();
}
const list = await request(srv.port, 'GET', `/api/v1/scenarios/${id}/bookings`, { token: admin });
check(list.json.length === 1, 'the store holds the one booking');
await srv.stop();
cleanup(dir);
console.log(`screenshots in ${shots}`);
if (failed) check(false, 'the browser steps ran through');
done();
