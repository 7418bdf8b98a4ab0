/** Per-job locks between processes: waiting, release, takeover of a dead holder's lock, and abort. */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { JobSpec } from '../../src/shared/jobs/specs';
import { LockWaitCancelled, jobLockFile, withJobLock } from '../../src/runs/locks';
import { Owner } from '../../src/runs/schema';

const fixture = path.join(__dirname, 'fixtures', 'holdLock.ts');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'locks-'));
const job: JobSpec = { kind: 'trainDisNet', config: { blur: { sigma: 1, kernelSize: 0 }, epochs: 2, batchSize: 64, learningRate: 0.001, trainImages: 100, testImages: 50, seed: 1 } };

/** A process that takes the job's lock and holds it for `holdMs` (forever if undefined); see the fixture for `log` and `go`. */
function lockProcess(runsDir: string, options: { holdMs?: number; log?: string; go?: string } = {}) {
  const args = [runsDir, JSON.stringify(job), String(options.holdMs ?? ''), options.log ?? '', ...(options.go ? [options.go] : [])];
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const said = (word: string) =>
    new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()).includes(word) && resolve());
      child.once('exit', (code) => reject(new Error(`the lock process exited (${code}) before it said "${word}"`)));
    });
  return { child, exited, ready: said('ready'), held: said('held') };
}

/** A process holding the job's lock for `holdMs` (forever if undefined), once it holds it. */
async function holder(runsDir: string, holdMs?: number): Promise<{ child: ChildProcess; exited: Promise<void> }> {
  const p = lockProcess(runsDir, { holdMs });
  await p.held;
  return p;
}

test('the lock is one file per job specification, whatever the key order', () => {
  const reordered = JSON.parse(JSON.stringify({ config: { ...job.config }, kind: job.kind }));
  assert.equal(jobLockFile('/runs', reordered), jobLockFile('/runs', job));
  assert.notEqual(jobLockFile('/runs', { ...job, kind: 'trainJudge' }), jobLockFile('/runs', job));
  assert.match(jobLockFile('/runs', job), /^\/runs\/\.locks\/trainDisNet-[0-9a-f]{32}\.lock$/);
});

test('a second process waits while the first holds the lock, is told who holds it, and gets it once it is released', async () => {
  const runsDir = tmp();
  const first = await holder(runsDir, 1500);
  const waited: Owner[] = [];
  const started = Date.now();
  const result = await withJobLock(runsDir, job, { onWait: (h) => waited.push(h) }, async () => {
    assert.ok(fs.existsSync(jobLockFile(runsDir, job)));
    return 'mine';
  });
  assert.equal(result, 'mine');
  assert.deepEqual(waited.map((h) => h.pid), [first.child.pid], 'onWait once, with the holder');
  assert.ok(Date.now() - started >= 900, 'it waited for the release');
  assert.equal(fs.existsSync(jobLockFile(runsDir, job)), false, 'released when the work settled');
  await first.exited;
});

test('the lock of a killed process is taken over at once; two processes waiting for it never hold it together', async () => {
  const runsDir = tmp();
  const log = path.join(runsDir, 'holds.log');
  const dead = await holder(runsDir);
  dead.child.kill('SIGKILL');
  await dead.exited;
  assert.ok(fs.existsSync(jobLockFile(runsDir, job)), 'the killed holder left its lock behind');
  // Two processes and this one all find the dead holder's lock and race to take it over, let go at once.
  const go = path.join(runsDir, 'go');
  const others = [lockProcess(runsDir, { holdMs: 400, log, go }), lockProcess(runsDir, { holdMs: 400, log, go })];
  await Promise.all(others.map((o) => o.ready));
  fs.writeFileSync(go, '');
  await withJobLock(runsDir, job, { onWait: () => undefined }, async () => {
    fs.appendFileSync(log, `${process.pid} enter\n`);
    await new Promise((resolve) => setTimeout(resolve, 400));
    fs.appendFileSync(log, `${process.pid} exit\n`);
  });
  await Promise.all(others.map((o) => o.exited));
  const holds = fs.readFileSync(log, 'utf8').trim().split('\n').map((line) => line.split(' '));
  assert.equal(holds.length, 6, 'each of the three held it once');
  for (let i = 0; i < holds.length; i += 2) {
    assert.deepEqual([holds[i][1], holds[i + 1][1], holds[i + 1][0]], ['enter', 'exit', holds[i][0]], `one holder at a time: ${JSON.stringify(holds)}`);
  }
  assert.deepEqual(fs.readdirSync(path.join(runsDir, '.locks')), [], 'nothing left behind');
});

test('waiting stops when the signal aborts, and the holder keeps its lock', async () => {
  const runsDir = tmp();
  const first = await holder(runsDir);
  const controller = new AbortController();
  let ran = false;
  const waiting = withJobLock(runsDir, job, { onWait: () => setTimeout(() => controller.abort(), 200), signal: controller.signal }, async () => {
    ran = true;
  });
  await assert.rejects(waiting, LockWaitCancelled);
  assert.equal(ran, false);
  assert.ok(fs.existsSync(jobLockFile(runsDir, job)));
  first.child.kill('SIGKILL');
  await first.exited;
});

test('an error in the work releases the lock and propagates', async () => {
  const runsDir = tmp();
  await assert.rejects(withJobLock(runsDir, job, { onWait: () => undefined }, async () => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(fs.existsSync(jobLockFile(runsDir, job)), false);
});
