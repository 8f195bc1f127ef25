// lib.mjs: what the tumen serve tests share: a server on a free loopback port with a temp
// store, tokens from the CLI, plain-http requests (no client library), checks.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';

export const [TUMEN, SRC, OUT] = process.argv.slice(2);
export const FLAGSHIP = join(SRC, 'examples', 'flagship');

let failures = 0;
export function check(ok, what) {
  if (ok) {
    console.log(`ok   ${what}`);
  } else {
    failures++;
    console.log(`FAIL ${what}`);
  }
}
export function done() {
  console.log(failures ? `${failures} check(s) failed` : 'all checks passed');
  process.exit(failures ? 1 : 0);
}

// Whatever a test leaves when it fails or throws: its servers are killed and its folders
// removed when the process exits.
const started = new Set();
const folders = new Set();
process.on('exit', () => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const d of folders) rmSync(d, { recursive: true, force: true });
});

export function tempDir() {
  const d = mkdtempSync(join(tmpdir(), 'tumen-serve-'));
  folders.add(d);
  return d;
}

// A token made by `tumen serve token add`: the last word of its last line.
export function token(db, name, role) {
  const out = execFileSync(TUMEN, ['serve', 'token', 'add', name, '--role', role, '--db', db],
    { encoding: 'utf8' });
  const lines = out.trim().split('\n');
  return lines[lines.length - 1].trim().split(/\s+/).pop();
}

// Starts `tumen serve` on 127.0.0.1 port 0 and resolves with {port, proc, stop()} once it
// prints the port it listens on (at most 15 s).
export function startServer(db, extra = [], log = null) {
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0', ...extra];
  if (log) args.push('--log', log);
  const proc = spawn(TUMEN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  started.add(proc);
  let errText = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error('server did not start: ' + errText)); }, 15000);
    proc.stderr.on('data', (d) => {
      errText += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(errText);
      if (m && timer) {
        clearTimeout(timer);
        const server = {
          port: Number(m[1]), proc, stderr: () => errText,
          // resolves the exit status (nonzero: a sanitizer found something, say)
          stop: () => new Promise((res) => { proc.once('exit', (code) => res(code)); proc.kill('SIGTERM'); }),
          kill9: () => new Promise((res) => { proc.once('exit', res); proc.kill('SIGKILL'); }),
        };
        resolve(server);
      }
    });
    proc.once('exit', (code) => reject(new Error(`server exited ${code}: ${errText}`)));
  });
}

// One request; resolves {status, headers, text, json}. body: string/Buffer or an object
// (sent as JSON). A 202 (a job: the server's time budget ran out, as under ASan) is
// followed to its end and its result returned, unless the request asked for the job
// (Prefer: respond-async).
export async function request(port, method, path, opts = {}) {
  const r = await requestOnce(port, method, path, opts);
  if (r.status !== 202 || !r.json || !r.json.job_id || (opts.headers && opts.headers.Prefer)) return r;
  const j = await waitJob(port, opts.token, r.json.job_id);
  if (j.status !== 200 || j.json.state !== 'done') return { status: 500, headers: j.headers, text: j.text, json: j.json };
  return { status: j.json.status, headers: j.headers, text: JSON.stringify(j.json.result), json: j.json.result };
}

function requestOnce(port, method, path, { token: tok, body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (tok) h.Authorization = `Bearer ${tok}`;
    let data = body;
    if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) {
      data = JSON.stringify(body);
      h['Content-Type'] = h['Content-Type'] || 'application/json';
    }
    if (data !== undefined) h['Content-Length'] = Buffer.byteLength(data);
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: h, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json = null;
          try { json = JSON.parse(text); } catch { /* not JSON */ }
          resolve({ status: res.statusCode, headers: res.headers, text, json });
        });
      });
    req.setTimeout(120000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

// A multipart/form-data body of files [{name, content}].
export function multipart(files) {
  const boundary = '----tumen' + Math.random().toString(16).slice(2);
  const parts = files.map((f) => Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\n` +
      'Content-Type: application/x-yaml\r\n\r\n'),
    Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content), Buffer.from('\r\n')]));
  const body = Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]);
  return { body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } };
}

// Uploads the flagship day (network, trains, timetable); resolves the scenario id.
export async function uploadFlagship(port, tok) {
  const files = ['network.yaml', 'train.yaml', 'timetable.yaml'].map((name) => (
    { name, content: readFileSync(join(FLAGSHIP, name)) }));
  const mp = multipart(files);
  const r = await request(port, 'POST', '/api/v1/scenarios?name=flagship', { token: tok, body: mp.body, headers: mp.headers });
  if (r.status !== 201) throw new Error(`upload: ${r.status} ${r.text}`);
  return r.json.id;
}

// A special request on the Khasan - Baranovsky line (no pilot, no escort).
export function hop(id, from, to, departure, train = 'passenger_2te116') {
  return { id, train, from, to, earliest_departure: departure };
}

// Waits for a job (202) to finish, or a cancelled one to stop; resolves the final job state.
export async function waitJob(port, tok, jobId) {
  for (let i = 0; i < 3000; i++) {
    const r = await requestOnce(port, 'GET', `/api/v1/jobs/${jobId}`, { token: tok });
    if (r.status !== 200 || (r.json.state !== 'running' && r.json.state !== 'cancelling')) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('job did not finish');
}

export function cleanup(dir) {
  rmSync(dir, { recursive: true, force: true });
}
