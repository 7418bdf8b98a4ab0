/** The Sweeps view's words and list, from real sweep folders written as the command line writes them. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { SweepGrid, SweepRecord, sweepLabel } from '../../src/shared/experiment/sweep';
import { openSweep, sweepReportFiles, sweepsDirOf, writeSweep, writeTaskState } from '../../src/engine/sweep/sweepFolder';
import { fileInSweep, listSweeps, missingReportMessage, sweepProgress, sweepReportHtml, sweepState, sweepsFingerprint, taskLabel } from '../../src/extension/views/sweeps/sweepList';
import { rerunCommand } from '../../src/extension/views/sweeps/rerun';

const GRID: SweepGrid = { base: ['--mode', 'frozen', '--latent', '2'], axes: [{ flag: '--lambda', values: ['0.001', '0.02'] }], seeds: [1, 2] };
const ARGV = ['sweep', '--mode', 'frozen', '--latent', '2', '--lambda', '0.001,0.02', '--seeds', '1-2'];
const COMMAND = `npx assignment2 ${ARGV.join(' ')}`;

/** A workspace's runs folder, with the sweeps folder beside it. */
function workspace(): { runsDir: string; sweepsDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-sweeps-view-'));
  const runsDir = path.join(root, '.assignment2', 'runs');
  fs.mkdirSync(runsDir, { recursive: true });
  return { runsDir, sweepsDir: sweepsDirOf(runsDir) };
}

/** The sweep as the command line makes it, its tasks then set to these statuses in sweep.json. */
function sweepWith(runsDir: string, grid: SweepGrid, statuses: SweepRecord['tasks'][number]['status'][], createdAt?: string): { dir: string; record: SweepRecord } {
  const { dir, record } = openSweep(runsDir, grid, ARGV);
  const updated: SweepRecord = { ...record, createdAt: createdAt ?? record.createdAt, tasks: record.tasks.map((t, i) => ({ ...t, status: statuses[i] ?? t.status })) };
  writeSweep(dir, updated);
  return { dir, record: updated };
}

test("a sweep's label, progress and icon state follow its tasks, and its report once written", () => {
  const { runsDir, sweepsDir } = workspace();
  const { dir } = sweepWith(runsDir, GRID, ['completed', 'completed', 'failed', 'running']);
  let [item] = listSweeps(sweepsDir);
  assert.ok(item.ok);
  assert.equal(item.dir, dir);
  assert.equal(sweepLabel(item.record.grid), 'λ 0.001, 0.02 × seeds 1, 2');
  assert.equal(sweepProgress(item.record, item.hasReport), '2/4 done · 1 failed · 1 running');
  assert.equal(sweepState(item.record), 'running');
  assert.deepEqual(item.record.tasks.map(taskLabel), ['task 0: λ 0.001, seed 1', 'task 1: λ 0.001, seed 2', 'task 2: λ 0.02, seed 1', 'task 3: λ 0.02, seed 2']);

  // A cluster's array task writes its own state file; the list reads it over sweep.json.
  writeTaskState(dir, { ...item.record.tasks[3], status: 'completed', runIds: ['20261201-000000-ae2b-0001'] });
  [item] = listSweeps(sweepsDir);
  assert.ok(item.ok);
  assert.equal(sweepProgress(item.record, item.hasReport), '3/4 done · 1 failed');
  assert.equal(sweepState(item.record), 'failed');

  writeTaskState(dir, { ...item.record.tasks[2], status: 'completed', runIds: ['20261201-000000-ae2b-0002'] });
  fs.mkdirSync(path.dirname(sweepReportFiles(dir).html), { recursive: true });
  fs.writeFileSync(sweepReportFiles(dir).html, '<!DOCTYPE html><html><head></head><body><h1>Sweep</h1></body></html>');
  [item] = listSweeps(sweepsDir);
  assert.ok(item.ok);
  assert.equal(sweepProgress(item.record, item.hasReport), '4/4 done · report');
  assert.equal(sweepState(item.record), 'completed');
  assert.equal(sweepReportHtml(dir), sweepReportFiles(dir).html);
});

test('pending and cancelled tasks leave a sweep idle, and cancelled ones are counted', () => {
  const { runsDir, sweepsDir } = workspace();
  sweepWith(runsDir, GRID, ['completed', 'cancelled', 'pending', 'pending']);
  const [item] = listSweeps(sweepsDir);
  assert.ok(item.ok);
  assert.equal(sweepProgress(item.record, item.hasReport), '1/4 done · 1 cancelled');
  assert.equal(sweepState(item.record), 'idle');
});

test('sweeps are listed newest first; damaged folders are listed last with the reason, and never hide the others', () => {
  const { runsDir, sweepsDir } = workspace();
  assert.deepEqual(listSweeps(sweepsDir), [], 'no sweeps folder yet: no sweeps');
  const older = sweepWith(runsDir, GRID, [], '2026-11-01T10:00:00.000Z');
  const newer = sweepWith(runsDir, { ...GRID, seeds: [1, 2, 3] }, [], '2026-11-02T10:00:00.000Z');
  const corrupt = path.join(sweepsDir, 'sweep-0000000000');
  fs.mkdirSync(corrupt);
  fs.writeFileSync(path.join(corrupt, 'sweep.json'), '{"schemaVersion": 1, "id": ');
  // A task state that is not one: the sweep's record cannot be trusted, and says which file to delete.
  const badTask = sweepWith(runsDir, { ...GRID, seeds: [4] }, [], '2026-11-03T10:00:00.000Z');
  fs.mkdirSync(path.join(badTask.dir, 'tasks'), { recursive: true });
  fs.writeFileSync(path.join(badTask.dir, 'tasks', '1.json'), '{"index": 7}');
  fs.writeFileSync(path.join(sweepsDir, 'notes.txt'), 'not a sweep');
  // A folder with no sweep.json at all (a copy cut short, say).
  const empty = path.join(sweepsDir, 'sweep-1111111111');
  fs.mkdirSync(empty);

  const items = listSweeps(sweepsDir);
  assert.deepEqual(
    items.map((item) => item.dir),
    [newer.dir, older.dir, ...[badTask.dir, corrupt, empty].sort().reverse()],
  );
  const damaged = items.filter((item) => !item.ok);
  const byDir = new Map(damaged.map((item) => [item.dir, item.problem]));
  assert.match(byDir.get(corrupt)!, /sweep\.json cannot be read .*delete the folder to start the sweep afresh/);
  assert.match(byDir.get(badTask.dir)!, /tasks[/\\]1\.json is not the state of task 1; delete it/);
  assert.match(byDir.get(empty)!, /sweep-1111111111 is not a sweep folder: it has no sweep\.json/);
  assert.deepEqual(damaged.map((item) => item.id).sort(), [path.basename(badTask.dir), 'sweep-0000000000', 'sweep-1111111111'].sort());
});

test("the poll's fingerprint changes with sweep.json, a task's state and the report, and only then", () => {
  const { runsDir, sweepsDir } = workspace();
  assert.equal(sweepsFingerprint(sweepsDir), '');
  const { dir, record } = sweepWith(runsDir, GRID, []);
  const first = sweepsFingerprint(sweepsDir);
  assert.notEqual(first, '');
  assert.equal(sweepsFingerprint(sweepsDir), first, 'nothing changed, nothing to read');
  writeTaskState(dir, { ...record.tasks[0], status: 'running' });
  const second = sweepsFingerprint(sweepsDir);
  assert.notEqual(second, first);
  fs.mkdirSync(path.dirname(sweepReportFiles(dir).html), { recursive: true });
  fs.writeFileSync(sweepReportFiles(dir).html, '<html><head></head></html>');
  assert.notEqual(sweepsFingerprint(sweepsDir), second);
});

test("a sweep's files are opened only inside its folder, and a missing report says how to write it", () => {
  const { runsDir, sweepsDir } = workspace();
  const { dir, record } = sweepWith(runsDir, GRID, []);
  assert.equal(fileInSweep(dir, record.tasks[0].log, 'The log'), path.join(dir, 'logs', 'task-0.log'));
  assert.throws(() => fileInSweep(dir, '../../runs/x.log', 'The log'), /The log \.\.\/\.\.\/runs\/x\.log of .* lies outside the sweep folder/);
  assert.throws(() => fileInSweep(dir, '/etc/passwd', 'The log'), /lies outside the sweep folder/);
  const outside = path.join(path.dirname(sweepsDir), 'secret.txt');
  fs.writeFileSync(outside, 'secret');
  fs.symlinkSync(outside, path.join(dir, 'logs', 'task-1.log'));
  assert.throws(() => fileInSweep(dir, record.tasks[1].log, 'The log'), /links outside the sweep folder/);

  assert.equal(sweepReportHtml(dir), null);
  assert.match(missingReportMessage(dir), new RegExp(`no report yet .*written when the sweep's tasks have all ended, or now with npx assignment2 sweep-report "${dir.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}"`));
  // A report.html that links outside the folder is not shown.
  fs.mkdirSync(path.join(dir, 'report'));
  fs.symlinkSync(outside, sweepReportFiles(dir).html);
  assert.throws(() => sweepReportHtml(dir), /links outside the sweep folder/);
});

test("Run Missing Tasks sends the sweep's own command line, every word quoted, with its runs folder where the terminal's default differs", () => {
  const { runsDir } = workspace();
  const { record } = sweepWith(runsDir, GRID, []);
  const workspaceFolder = path.dirname(path.dirname(runsDir));
  assert.equal(rerunCommand(record, runsDir, workspaceFolder), COMMAND);
  assert.equal(rerunCommand(record, runsDir, os.tmpdir()), `${COMMAND} --runs-dir ${runsDir}`);
  assert.equal(rerunCommand(record, runsDir, undefined), `${COMMAND} --runs-dir ${runsDir}`);
  const named = { ...record, argv: [...record.argv, '--runs-dir', '/elsewhere/my runs'] };
  assert.equal(rerunCommand(named, runsDir, os.tmpdir()), `${COMMAND} --runs-dir '/elsewhere/my runs'`);
  // Whatever sweep.json says, bash reads back exactly its words, and runs nothing else.
  const hostile = ['sweep', '--lambda', "0.1; touch pwned $(touch pwned) `touch pwned` 'q' \"d\"", '--sbatch=--mem=8G --qos=short', '--runs-dir', runsDir];
  const words = execFileSync('bash', ['-c', `words() { printf '%s\\0' "$@"; }; words ${rerunCommand({ ...record, argv: hostile }, runsDir, workspaceFolder)}`], { cwd: workspaceFolder, encoding: 'utf8' });
  assert.deepEqual(words.split('\0').slice(0, -1), ['npx', 'assignment2', ...hostile]);
  assert.equal(fs.existsSync(path.join(workspaceFolder, 'pwned')), false);
  assert.throws(() => rerunCommand({ ...record, argv: ['q2b'] }, runsDir, workspaceFolder), /is not an "npx assignment2 sweep" command line/);
});
