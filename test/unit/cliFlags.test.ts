import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/engine/cli/main';

/** Runs the command line, returning its exit code and what it wrote to stderr. */
async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const written: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    return { code: await main(args), stderr: written.join('') };
  } finally {
    process.stderr.write = original;
  }
}

// Every numeric training flag, with values it must refuse: not a number, negative, zero where zero
// means nothing, absurdly large.
const TRAINING_FLAGS: Record<string, string[]> = {
  '--threads': ['NaN', '-1', '0', '2.5', '1e9', 'all'],
  '--latent': ['NaN', '-1', '0', '1e9', '2.5'],
  '--epochs': ['NaN', '-1', '0', '1e9', 'Infinity'],
  '--batch-size': ['NaN', '-256', '0', '1e9'],
  '--lr': ['NaN', '-0.001', '0', '1e9'],
  '--warmup-steps': ['NaN', '-1', '1e9'],
  '--train-images': ['NaN', '-1', '0', '1e9'],
  '--test-images': ['NaN', '-1', '0', '1e9'],
  '--seed': ['NaN', '-1', '1e12', '0.5'],
};
// A list of seeds: every entry a valid seed, none twice.
const SEEDS = { '--seeds': ['', 'NaN', '1,-1', '1,1', '1,,2', '0.5', '1e12'] };
const COMMANDS: Record<string, Record<string, string[]>> = {
  train: TRAINING_FLAGS,
  q2a: { ...TRAINING_FLAGS, ...SEEDS },
  q2b: {
    ...TRAINING_FLAGS,
    ...SEEDS,
    '--lambda': ['NaN', '-1', '1e9'],
    '--b-epochs': ['NaN', '0', '-2', '1e9'],
    '--sigma': ['NaN', '0', '-1', '100'],
    '--mode': ['sideways', ''],
    '--disnet-lr': ['NaN', '0', '-0.001', '2'],
    '--clear-label': ['NaN', '0.5', '0', '1.1'],
  },
  all: { ...TRAINING_FLAGS, ...SEEDS, '--b-epochs': ['0', '1e9'] },
  disnet: { '--epochs': ['NaN', '0', '1e9'], '--batch-size': ['0', '-1'], '--lr': ['0', 'NaN'], '--sigma': ['0', '100'], '--kernel-size': ['2', '-3', '99'], '--train-images': ['0', '1e9'], '--test-images': ['0', '1e9'], '--seed': ['-1'] },
};

test('every numeric flag of every training command refuses impossible values, naming the flag, before anything runs', async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-flags-'));
  let tried = 0;
  for (const [command, flags] of Object.entries(COMMANDS)) {
    for (const [flag, values] of Object.entries(flags)) {
      for (const value of values) {
        // --latent on q2a, q2b and all is a comma-separated list: one bad entry spoils it.
        const { code, stderr } = await run([command, flag, value, '--runs-dir', runsDir]);
        assert.equal(code, 2, `${command} ${flag} ${value}: exit code ${code}, stderr: ${stderr}`);
        assert.ok(stderr.includes(flag), `${command} ${flag} ${value}: the message does not name the flag: ${stderr}`);
        tried++;
      }
    }
  }
  assert.ok(tried > 160, `${tried} cases`);
  assert.deepEqual(fs.readdirSync(runsDir), [], 'nothing was trained or written');
});

test("the alternating mode's settings are refused with the frozen mode alone", async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-flags-'));
  for (const flag of ['--disnet-lr', '--clear-label']) {
    const { code, stderr } = await run(['q2b', '--mode', 'frozen', flag, '0.9', '--runs-dir', runsDir]);
    assert.equal(code, 2);
    assert.match(stderr, /--mode frozen is not allowed: the dis_net rate and the clear label apply only to the alternating mode/);
  }
  assert.deepEqual(fs.readdirSync(runsDir), []);
});
