/** Whether a run's owner still lives, and readers marking the runs of dead owners interrupted. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { Owner } from '../../src/runs/schema';
import { deadPid, runningRecord } from './fixtures/runningRuns';
import { STALE_HEARTBEAT_MS, currentOwner, ownerGone, processStartTime } from '../../src/runs/owner';
import { HEARTBEAT_FILE, RUN_FILE, RunStore, finishRun, readRunRecord } from '../../src/runs/store';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'owner-'));
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

test('this process is alive; an ended one is gone', () => {
  const none = path.join(tmp(), HEARTBEAT_FILE);
  assert.equal(ownerGone(currentOwner(), none), undefined);
  const dead = { ...currentOwner(), pid: deadPid() };
  assert.match(ownerGone(dead, none) ?? '', new RegExp(`pid ${dead.pid}\\) has ended`));
});

test('a live pid that started at another time is a reused pid: its owner is gone', { skip: processStartTime('self') === undefined && 'no /proc here' }, () => {
  const owner = currentOwner();
  assert.equal(owner.procStart, processStartTime('self'));
  assert.match(ownerGone({ ...owner, procStart: owner.procStart! + 1 }, path.join(tmp(), HEARTBEAT_FILE)) ?? '', /belongs to another process/);
});

test('on another host only the heartbeat tells: fresh is alive, older than 5 minutes is gone', () => {
  const heartbeat = path.join(tmp(), HEARTBEAT_FILE);
  const elsewhere: Owner = { host: `not-${os.hostname()}`, pid: 1, startedAt: minutesAgo(60).toISOString() };
  fs.writeFileSync(heartbeat, '');
  assert.equal(ownerGone(elsewhere, heartbeat), undefined);
  fs.utimesSync(heartbeat, minutesAgo(6), minutesAgo(6));
  assert.match(ownerGone(elsewhere, heartbeat) ?? '', /on not-.* has not been heard from for 6 minutes/);
  // No heartbeat yet: the owner's start is its last sign.
  fs.rmSync(heartbeat);
  assert.equal(ownerGone({ ...elsewhere, startedAt: new Date().toISOString() }, heartbeat), undefined);
  assert.ok(ownerGone({ ...elsewhere, startedAt: new Date(Date.now() - STALE_HEARTBEAT_MS - 1000).toISOString() }, heartbeat));
});

test('a reader marks a running run of a dead owner interrupted, on disk, and leaves live and ownerless ones running', () => {
  const store = new RunStore(tmp());
  const dead = store.create(runningRecord('a-dead', { ...currentOwner(), pid: deadPid() }));
  store.create(runningRecord('b-alive', currentOwner()));
  store.create(runningRecord('c-version3'));
  const status = Object.fromEntries(store.list().map((item) => [item.ok ? item.run.id : item.id, item.ok && item.run.status]));
  assert.deepEqual(status, { 'a-dead': 'interrupted', 'b-alive': 'running', 'c-version3': 'running' });
  const written = readRunRecord(dead);
  assert.equal(written.status, 'interrupted');
  assert.match(written.error ?? '', /^Interrupted: its process \(pid \d+\) has ended\.$/);
  assert.ok(written.endedAt);
});

test('a version-3 run.json reads as version 4 with no owner', () => {
  const store = new RunStore(tmp());
  const dir = store.create(runningRecord('v3'));
  const json = JSON.parse(fs.readFileSync(path.join(dir, RUN_FILE), 'utf8'));
  fs.writeFileSync(path.join(dir, RUN_FILE), JSON.stringify({ ...json, schemaVersion: 3 }));
  const read = readRunRecord(dir);
  assert.equal(read.schemaVersion, 4);
  assert.equal(read.owner, undefined);
});

test("finishing on behalf of an owner leaves a run that another owner has taken up since", () => {
  const store = new RunStore(tmp());
  const gone = { ...currentOwner(), pid: deadPid() };
  const dir = store.create(runningRecord('taken', currentOwner()));
  assert.equal(finishRun(dir, 'interrupted', { error: 'late' }, gone).status, 'running');
  assert.equal(finishRun(dir, 'cancelled', {}, currentOwner(new Date(0))).status, 'running', 'another startedAt is another owner');
  assert.equal(finishRun(dir, 'cancelled', {}, readRunRecord(dir).owner).status, 'cancelled');
});
