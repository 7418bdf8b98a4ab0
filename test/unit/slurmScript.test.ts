import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { findRepoRoot } from '../harness/repo';
import { ScriptInputs, arraySpec, slurmOptionsOf, sweepScripts } from '../../src/engine/sweep/slurmScript';
import { sweepsDirOf } from '../../src/engine/sweep/sweepFolder';

const bin = path.join(findRepoRoot(), 'bin', 'assignment2.js');

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env, maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

const inputs: ScriptInputs = {
  dir: "/shared/it's a sweep/sweeps/sweep-0123456789",
  sweepId: 'sweep-0123456789',
  indices: [3, 1],
  node: '/opt/node 20/bin/node',
  cli: '/home/me/assignment2/bin/assignment2.js',
  common: ['--runs-dir', '/shared/my runs', '--threads', '4'],
  options: { partition: 'gpu', time: '2:00:00', cpusPerTask: 4, gres: 'gpu:1', extra: ['--mem=8G', '--qos=short'] },
};

/** The words bash hands to the command on the script's exec line, with the array task's id set. */
function execWords(script: string, taskId: string): string[] {
  const line = script.split('\n').find((l) => l.startsWith('exec '))!;
  const printed = execFileSync('bash', ['-c', `printf '%s\\0' ${line.slice('exec '.length)}`], { env: { SLURM_ARRAY_TASK_ID: taskId }, encoding: 'utf8' });
  return printed.split('\0').slice(0, -1);
}

const directives = (script: string) => script.split('\n').filter((l) => l.startsWith('#SBATCH ')).map((l) => l.slice('#SBATCH '.length));

test('the array lists only the given tasks, as Slurm writes index lists', () => {
  assert.equal(arraySpec([3, 1]), '1,3');
  assert.equal(arraySpec([0, 1, 2, 3]), '0-3');
  assert.equal(arraySpec([8, 0, 1, 2, 5, 7]), '0-2,5,7,8');
  assert.equal(arraySpec([4]), '4');
});

test("the array's script: one array task per sweep task, its log, the resources, and the task's command", () => {
  const { array } = sweepScripts(inputs);
  assert.ok(array.startsWith('#!/bin/bash\n'));
  assert.deepEqual(directives(array), [
    '--job-name=sweep-0123456789',
    '--array=1,3',
    `--output="/shared/it's a sweep/sweeps/sweep-0123456789/logs/task-%a.log"`,
    '--open-mode=append',
    '--partition=gpu',
    '--time=2:00:00',
    '--cpus-per-task=4',
    '--gres=gpu:1',
    '--mem=8G',
    '--qos=short',
  ]);
  assert.deepEqual(execWords(array, '3'), [inputs.node, inputs.cli, 'sweep-task', inputs.dir, '3', '--runs-dir', '/shared/my runs', '--threads', '4']);
  const bare = sweepScripts({ ...inputs, indices: [0, 1, 2], options: { extra: [] } }).array;
  assert.deepEqual(directives(bare).slice(1, 2), ['--array=0-2']);
  assert.ok(!/--partition|--time|--cpus-per-task|--gres/.test(bare), 'no resource is asked for that was not given');
});

test('the finishing job runs sweep-task --finish, without the tasks\' devices', () => {
  const { finish } = sweepScripts(inputs);
  const lines = directives(finish);
  assert.ok(lines.includes('--job-name=sweep-0123456789-finish'));
  assert.ok(lines.includes(`--output="/shared/it's a sweep/sweeps/sweep-0123456789/logs/finish.log"`));
  assert.ok(lines.includes('--partition=gpu') && lines.includes('--mem=8G'));
  assert.ok(!lines.some((l) => /^--(array|gres|cpus-per-task)/.test(l)));
  assert.deepEqual(execWords(finish, '0'), [inputs.node, inputs.cli, 'sweep-task', inputs.dir, '--finish', '--runs-dir', '/shared/my runs', '--threads', '4']);
});

test('an #SBATCH value with quotes or backslashes is escaped as sbatch reads it', () => {
  const { array } = sweepScripts({ ...inputs, dir: '/a "b"\\c' });
  assert.ok(directives(array).includes('--output="/a \\"b\\"\\\\c/logs/task-%a.log"'));
});

test('Slurm options are checked, each naming its flag', () => {
  assert.deepEqual(slurmOptionsOf({ time: '1-12:30', 'cpus-per-task': '8', partition: 'a,b', gres: 'gpu:a100:2' }, ['--mem=8G  --qos=short', '-N1']), {
    partition: 'a,b',
    time: '1-12:30',
    cpusPerTask: 8,
    gres: 'gpu:a100:2',
    extra: ['--mem=8G', '--qos=short', '-N1'],
  });
  for (const time of ['30', '30:00', '2:00:00', '1-12', '1-12:30', '1-12:30:00', 'infinite']) assert.equal(slurmOptionsOf({ time }, []).time, time);
  const bad: [Record<string, string>, string[], RegExp][] = [
    [{ time: '1:2:3:4' }, [], /^--time 1:2:3:4 is not allowed/],
    [{ time: '2h' }, [], /^--time 2h is not allowed/],
    [{ 'cpus-per-task': '0' }, [], /^--cpus-per-task 0 is not allowed/],
    [{ 'cpus-per-task': '1.5' }, [], /^--cpus-per-task 1\.5 is not allowed/],
    [{ partition: 'a b' }, [], /^--partition a b is not allowed/],
    [{ gres: 'gpu 1' }, [], /^--gres gpu 1 is not allowed/],
    [{}, ['--array=1-3'], /^--sbatch "--array=1-3" is not allowed: the sweep sets --array itself/],
    [{}, ['-o', 'x.log'], /^--sbatch "-o" is not allowed: the sweep sets -o itself/],
    [{}, ['--mem=1G mem=2G'], /^--sbatch "--mem=1G mem=2G" is not allowed: "mem=2G" is not an sbatch option/],
    [{}, [' '], /^--sbatch "" is not allowed/],
  ];
  for (const [values, sbatch, message] of bad) assert.throws(() => slurmOptionsOf(values, sbatch), { message }, JSON.stringify([values, sbatch]));
});

const TINY = ['--mode', 'frozen', '--latent', '2', '--epochs', '1', '--b-epochs', '1', '--train-images', '256', '--test-images', '128', '--warmup-steps', '0'];

test('--dry-run prints the scripts and the sbatch commands, and writes and submits nothing', async () => {
  const runsDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'a2 dry run-')), 'runs');
  const { code, stdout, stderr } = await cli(['sweep', ...TINY, '--lambda', '0.001,0.02', '--seeds', '1-2', '--runs-dir', runsDir, '--executor', 'slurm', '--dry-run', '--cpus-per-task', '2', '--sbatch=--mem=1G']);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^#SBATCH --array=0-3$/m);
  assert.match(stdout, /^#SBATCH --mem=1G$/m);
  assert.match(stdout, /sweep-task '.*\/a2 dry run-[^']*\/sweeps\/sweep-[0-9a-f]{10}' "\$SLURM_ARRAY_TASK_ID" --runs-dir '.*\/runs' --threads 2$/m);
  assert.match(stdout, /^array=\$\(sbatch --parsable '.*\/slurm\/array\.sbatch'\)$/m);
  assert.match(stdout, /^sbatch --parsable --dependency=afterany:"\$array" '.*\/slurm\/finish\.sbatch'$/m);
  assert.match(stderr, /would submit 4 of 4 tasks \(0, 1, 2, 3\); nothing submitted/);
  assert.equal(fs.existsSync(sweepsDirOf(runsDir)), false, 'nothing was written');
  assert.equal(fs.existsSync(runsDir), false);
});

test('bad executor options are refused before anything is written, naming the flag', async () => {
  const runsDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'a2-executor-bad-')), 'runs');
  const cases: [string[], RegExp][] = [
    [['--executor', 'pbs'], /--executor pbs is not allowed: give local or slurm/],
    [['--executor', 'slurm', '--time', '90min'], /--time 90min is not allowed/],
    [['--executor', 'slurm', '--cpus-per-task', '0'], /--cpus-per-task 0 is not allowed/],
    [['--executor', 'slurm', '--sbatch=--array=0-9'], /the sweep sets --array itself/],
    [['--executor', 'slurm', '--jobs', '2'], /--jobs is for --executor local only/],
    [['--partition', 'gpu'], /--partition is for --executor slurm only/],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await cli(['sweep', ...TINY, '--seeds', '1-2', '--runs-dir', runsDir, ...args]);
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, message);
  }
  assert.equal(fs.existsSync(sweepsDirOf(runsDir)), false);
});

test('without sbatch, submitting says where to run it instead', async () => {
  const runsDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'a2-no-sbatch-')), 'runs');
  const emptyPath = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-empty-path-'));
  const { code, stderr } = await cli(['sweep', ...TINY, '--seeds', '1', '--runs-dir', runsDir, '--executor', 'slurm'], { ...process.env, PATH: emptyPath });
  assert.equal(code, 1);
  assert.match(stderr, /sbatch was not found on PATH: run the sweep on a machine where Slurm's commands work .*or use --executor local/);
});
