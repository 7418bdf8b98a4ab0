/**
 * The command line's whole output reaches a reader on a pipe, however slowly it reads: a pipe holds
 * 64 KiB, and a process that exits before the reader takes the rest cuts the output off there.
 * Runs bin/assignment2.js, so it needs the built engine (dist/cli.js: `node esbuild.mjs`).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestContext, test } from 'node:test';
import { findRepoRoot, requireFile } from '../harness/repo';

const root = findRepoRoot();
const bin = path.join(root, 'bin', 'assignment2.js');

/** Runs `command` in bash and resolves with its exit code and everything it wrote to stdout. */
function bash(command: string, env: Record<string, string>): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
  });
}

/** A fresh runs folder, removed after the test; fails early when the engine is not built. */
function tempRunsDir(t: TestContext): string {
  requireFile(path.join(root, 'dist', 'cli.js'), 'Build the engine first: node esbuild.mjs');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-pipe-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('q1 --json piped into a reader that waits before reading arrives whole', { timeout: 60_000 }, async (t) => {
  const runsDir = tempRunsDir(t);
  // The reader sleeps while the command writes, so the pipe is full when the command is done.
  const { code, stdout, stderr } = await bash('"$NODE" "$BIN" q1 --json --runs-dir "$RUNS" | (sleep 1; cat)', {
    NODE: process.execPath,
    BIN: bin,
    RUNS: runsDir,
  });
  assert.equal(code, 0, stderr);
  assert.ok(stdout.length > 65_536, `${stdout.length} bytes arrived: the JSON is larger than a pipe's 64 KiB, so it was cut off`);
  const json = JSON.parse(stdout.toString('utf8')) as Record<string, unknown>;
  for (const key of ['runDir', 'params', 'landscape', 'gd', 'adam', 'sweepH', 'sweepLr', 'answer']) {
    assert.ok(key in json, `the JSON has no ${key}`);
  }
  assert.equal(path.dirname(json.runDir as string), runsDir);
});

test('a reader that closes the pipe before reading: the command still runs to its end, and exits with its own code', { timeout: 60_000 }, async (t) => {
  const runsDir = tempRunsDir(t);
  // Progress and output both go to a pipe whose reader has closed it: every write fails with EPIPE.
  const { code, stdout } = await bash('"$NODE" "$BIN" q1 --json --runs-dir "$RUNS" 2>&1 | (exec <&-; sleep 1); echo "exit ${PIPESTATUS[0]}"', {
    NODE: process.execPath,
    BIN: bin,
    RUNS: runsDir,
  });
  assert.equal(code, 0);
  assert.equal(stdout.toString(), 'exit 0\n');
  // The study was saved all the same.
  assert.equal(fs.readdirSync(runsDir).length, 1);
});
