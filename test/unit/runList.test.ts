import assert from 'node:assert/strict';
// The module object itself (not a namespace copy), so mock.method sees the store's reads.
import fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestContext, test } from 'node:test';
import { RunStore } from '../../src/runs/store';
import { RunListItem } from '../../src/runs/schema';
import { RunChange, RunList } from '../../src/extension/runList';
import { upsertNewestFirst } from '../../src/extension/views/newestFirst';

const config = { architecture: 'dense', latent: 2, epochs: 3, batchSize: 64, learningRate: 0.001, warmupSteps: 0, outputInit: 'meanImage', trainImages: 100, testImages: 50, seed: 1 };

/** Writes run.json as another process would (an older schema version, which every reader migrates). */
function writeRun(runsDir: string, id: string, status = 'running'): string {
  const dir = path.join(runsDir, id);
  fs.mkdirSync(dir, { recursive: true });
  const record = { schemaVersion: 3, id, name: `Autoencoder ${id}`, job: { kind: 'trainAutoencoder', config }, seed: 1, versions: {}, status, createdAt: '2026-01-01T00:00:00.000Z' };
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(record));
  return dir;
}

function appendEpoch(dir: string, epoch: number): void {
  fs.appendFileSync(path.join(dir, 'metrics.jsonl'), JSON.stringify({ epoch, trainL1: 0.3, testL1: 0.25, seconds: 1 }) + '\n');
}

const idOf = (i: number) => `20260101-0000${String(i).padStart(2, '0')}-ae2-abcd`;

/** A listed run list over `count` runs, its change events, and a count of the run.json files read. */
function fixture(t: TestContext, count: number) {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-list-'));
  t.after(() => fs.rmSync(runsDir, { recursive: true, force: true }));
  const dirs = Array.from({ length: count }, (_, i) => writeRun(runsDir, idOf(i)));
  const changes: RunChange[] = [];
  const list = new RunList(() => new RunStore(runsDir), (change) => changes.push(change), 300, 1000);
  t.after(() => list.dispose());
  const reads = t.mock.method(fs, 'readFileSync');
  const runReads = () => reads.mock.calls.filter((call) => String(call.arguments[0]).endsWith('run.json')).length;
  return { runsDir, dirs, changes, list, runReads };
}

const statusOf = (item: RunListItem | undefined) => (item?.ok ? item.run.status : undefined);

test('a changed run is re-read alone: its entry is replaced, every other entry is the same object, unread', (t) => {
  const { dirs, changes, list, runReads } = fixture(t, 5);
  const before = list.all();
  assert.equal(runReads(), 5);
  writeRun(path.dirname(dirs[2]), path.basename(dirs[2]), 'completed');
  appendEpoch(dirs[2], 1);
  list.refresh(dirs[2]);
  assert.equal(runReads(), 6, 'one run.json read');
  const after = list.all();
  assert.notEqual(after, before, 'a new array, so holders of the old one see no change under them');
  assert.deepEqual(after.map((item) => item.dir), before.map((item) => item.dir), 'same order');
  after.forEach((item, i) => (i === 2 ? assert.notEqual(item, before[i]) : assert.equal(item, before[i], `entry ${i} untouched`)));
  assert.equal(statusOf(after[2]), 'completed');
  assert.equal(after[2].ok && after[2].metrics.length, 1);
  assert.deepEqual(changes.map((c) => c.kind), ['updated']);
  assert.ok(changes[0].kind === 'updated' && changes[0].previous === before[2]);
});

test('a run is named by its id, its folder or a file in it; files unchanged since its last read are not read again', (t) => {
  const { dirs, changes, list, runReads } = fixture(t, 3);
  list.all();
  list.refresh(path.join(dirs[1], 'metrics.jsonl'));
  list.refresh(dirs[1]);
  list.refresh(path.basename(dirs[1]));
  assert.equal(runReads(), 4, 'read once: the second and third found nothing changed');
  assert.equal(changes.length, 1);
  appendEpoch(dirs[1], 1);
  list.refresh(path.basename(dirs[1]));
  assert.equal(runReads(), 5);
  assert.equal(changes.length, 2);
});

test('a deleted folder is removed, a new one goes in newest first, as a full listing would order them', (t) => {
  const { runsDir, dirs, changes, list } = fixture(t, 4);
  const before = list.all();
  fs.rmSync(dirs[1], { recursive: true });
  list.refresh(dirs[1]);
  assert.deepEqual(list.all().map((item) => item.dir), [dirs[3], dirs[2], dirs[0]]);
  assert.ok(changes[0].kind === 'removed' && changes[0].item === before[2]);
  const newest = writeRun(runsDir, idOf(9));
  const between = writeRun(runsDir, `${idOf(1)}-x`);
  list.refresh(newest);
  list.refresh(path.join(between, 'run.json'));
  assert.deepEqual(list.all().map((item) => item.dir), new RunStore(runsDir).list().map((item) => item.dir));
  assert.equal(list.all()[0].dir, newest);
  assert.deepEqual(changes.map((c) => c.kind), ['removed', 'added', 'added']);
  // Removing what is not listed changes nothing.
  list.refresh(path.join(runsDir, 'never-there'));
  assert.equal(changes.length, 3);
});

test('paths outside the runs folder, hidden folders and the folder itself are ignored; nothing is read before the first listing', (t) => {
  const { runsDir, dirs, changes, list, runReads } = fixture(t, 2);
  list.refresh(dirs[0]);
  assert.equal(runReads(), 0, 'not listed yet: the first listing reads it anyway');
  list.all();
  fs.mkdirSync(path.join(runsDir, '.trash'));
  for (const p of [runsDir, path.dirname(runsDir), path.join(runsDir, '..', 'cache', 'x.json'), path.join(runsDir, '.trash'), path.join(runsDir, '.trash', 'run.json')]) list.refresh(p);
  assert.equal(runReads(), 2);
  assert.equal(changes.length, 0);
  assert.throws(() => list.refresh('../escape'), /Invalid run id/);
});

test('debounce: many change events for one folder within the window are one re-read; two folders are two', (t) => {
  const { dirs, list, runReads } = fixture(t, 3);
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  list.all();
  appendEpoch(dirs[0], 1);
  appendEpoch(dirs[1], 1);
  for (let i = 0; i < 5; i++) {
    list.refreshSoon(path.join(dirs[0], i % 2 ? 'metrics.jsonl' : 'reconstructions.json'));
    t.mock.timers.tick(50);
  }
  list.refreshSoon(path.basename(dirs[0]));
  list.refreshSoon(path.join(dirs[1], 'metrics.jsonl'));
  list.refreshSoon(dirs[1]);
  t.mock.timers.tick(299);
  assert.equal(runReads(), 3, 'nothing read while the window is open');
  t.mock.timers.tick(1);
  assert.equal(runReads(), 5, 'one read per folder');
  t.mock.timers.tick(5000);
  assert.equal(runReads(), 5);
});

test('debounce: a folder that never goes quiet is still re-read, once per longest wait', (t) => {
  const { dirs, changes, list, runReads } = fixture(t, 1);
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  list.all();
  for (let i = 1; i <= 20; i++) {
    appendEpoch(dirs[0], i);
    list.refreshSoon(dirs[0]);
    t.mock.timers.tick(100);
  }
  assert.equal(runReads(), 1 + 2, 'read at 1 s and 2 s, not 20 times and not never');
  t.mock.timers.tick(300);
  assert.equal(changes.length, 2, 'the last burst was read by the second wait already: unchanged files are not read again');
  assert.equal(runReads(), 3);
});

test('an immediate refresh takes the place of a pending one', (t) => {
  const { dirs, list, runReads } = fixture(t, 2);
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  list.all();
  appendEpoch(dirs[0], 1);
  list.refreshSoon(dirs[0]);
  list.refresh(dirs[0]);
  t.mock.timers.tick(1000);
  assert.equal(runReads(), 3);
  // A full re-read drops pending re-reads too.
  list.refreshSoon(dirs[1]);
  list.reset();
  t.mock.timers.tick(1000);
  assert.equal(runReads(), 3);
});

test('one epoch of one run among 10: one run.json read, where two full listings read 20', (t) => {
  const { dirs, list, runReads } = fixture(t, 10);
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  list.all();
  const listed = runReads();
  // Before: the engine's 'epoch' event and the file watcher each dropped the list, and the views re-listed it.
  list.reset();
  list.all();
  list.reset();
  list.all();
  const before = runReads() - listed;
  // Now: the engine writes metrics.jsonl and reconstructions.json, then says 'epoch'; all go to one debounced re-read.
  appendEpoch(dirs[4], 1);
  list.refreshSoon(path.join(dirs[4], 'metrics.jsonl'));
  list.refreshSoon(path.join(dirs[4], 'reconstructions.json'));
  list.refreshSoon(path.basename(dirs[4]));
  t.mock.timers.tick(300);
  const after = runReads() - listed - before;
  t.diagnostic(`run.json reads per epoch with 10 runs: ${before} before, ${after} now`);
  assert.deepEqual([before, after], [20, 1]);
});

test('upsertNewestFirst replaces an entry in place or inserts a new one in descending order', () => {
  const key = (s: string) => s.split(':')[0];
  assert.deepEqual(upsertNewestFirst(['c:1', 'b:1', 'a:1'], 'b:2', key), ['c:1', 'b:2', 'a:1']);
  assert.deepEqual(upsertNewestFirst(['c', 'a'], 'b', key), ['c', 'b', 'a']);
  assert.deepEqual(upsertNewestFirst(['c', 'a'], 'd', key), ['d', 'c', 'a']);
  assert.deepEqual(upsertNewestFirst(['c', 'b'], 'a', key), ['c', 'b', 'a']);
  assert.deepEqual(upsertNewestFirst([], 'a', key), ['a']);
});
