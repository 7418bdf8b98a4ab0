/**
 * Writes that the system refuses midway, as on a full disk. The command line runs under a file-size
 * limit (`ulimit -f`), so the kernel cuts off a real write partway (EFBIG; Node ignores SIGXFSZ) just as
 * a full disk does with ENOSPC. Nothing may be half-written, and the error must name the file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { readMetrics, readRunRecord } from '../../src/runs/store';
import { findRepoRoot } from '../harness/repo';

const cli = path.join(findRepoRoot(), 'bin', 'assignment2.js');
const tiny = ['--latent', '16', '--epochs', '1', '--warmup-steps', '0', '--train-images', '256', '--test-images', '100', '--backend', 'wasm'];

/** Runs the CLI, with writes capped at `limitKb` KiB per file when given. */
function assignment2(args: string[], limitKb?: number) {
  const limit = limitKb === undefined ? '' : `ulimit -f ${limitKb}; `;
  const result = spawnSync('bash', ['-c', `${limit}exec "$0" "$@"`, process.execPath, cli, ...args], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

/** Every file under a folder, relative to it, with a hash of its bytes. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return files;
}

const leftovers = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.tmp-|\.partial-|\.old-/.test(f));

test('training whose model file cannot be written fails its run by name, keeps its epoch and leaves no partial file', () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-full-runs-'));
  // 1 MiB: run.json, metrics and snapshots fit; the 11 MB checkpoint.bin, written after each epoch (before weights.bin), does not.
  const { status, stderr } = assignment2(['train', ...tiny, '--runs-dir', runsDir], 1024);
  assert.equal(status, 1, stderr);
  assert.match(stderr, /Cannot write \S+checkpoint\.bin: the file is larger than this system allows \(EFBIG\)/);
  const [runId] = fs.readdirSync(runsDir);
  const run = readRunRecord(path.join(runsDir, runId));
  assert.equal(run.status, 'failed');
  assert.match(run.error ?? '', /checkpoint\.bin/);
  assert.equal(readMetrics(path.join(runsDir, runId)).length, 1, 'the finished epoch is kept');
  assert.ok(!fs.existsSync(path.join(runsDir, runId, 'checkpoint.bin')), 'no truncated checkpoint');
  assert.deepEqual(leftovers(runsDir), []);
});

test('a report export that cannot write leaves the previous report as it was and no staging folder', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-full-report-'));
  const runsDir = path.join(root, 'runs');
  const reports = path.join(root, 'reports');
  const out = path.join(reports, 'assignment2-report');
  assert.equal(assignment2(['q1', '--runs-dir', runsDir]).status, 0);
  assert.equal(assignment2(['train', ...tiny, '--runs-dir', runsDir]).status, 0);
  assert.equal(assignment2(['report', '--out', out, '--runs-dir', runsDir]).status, 0);
  const before = snapshot(out);
  assert.ok(Object.keys(before).some((f) => f.startsWith('figures/')), 'the first report has figures');
  // Train again so that a new export would differ, then export with writes capped below a figure's size.
  assert.equal(assignment2(['train', ...tiny, '--seed', '2', '--runs-dir', runsDir]).status, 0);
  const { status, stderr } = assignment2(['report', '--out', out, '--runs-dir', runsDir], 16);
  assert.equal(status, 1, stderr);
  assert.match(stderr, /Cannot write \S+\.png: the file is larger than this system allows \(EFBIG\)/);
  assert.deepEqual(snapshot(out), before, 'the previous report is untouched');
  assert.deepEqual(fs.readdirSync(reports), ['assignment2-report'], 'no staging folder beside it');
  assert.deepEqual(leftovers(root), []);
});
