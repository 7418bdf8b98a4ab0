/** checkpoint.bin: written and read back exactly, and every kind of damage refused with the file named. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { CHECKPOINT_FILE, TrainingCheckpoint, networkState, readCheckpoint, writeCheckpoint } from '../../src/runs/checkpoints';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'checkpoint-'));
const values = (n: number, from: number) => Float32Array.from({ length: n }, (_, i) => from + i / 7);

const checkpoint: TrainingCheckpoint = {
  epoch: 2,
  step: 10,
  rng: 0xdeadbeef,
  networks: {
    autoencoder: { params: [values(6, 1), values(3, 2)], m: [values(6, 3), values(3, 4)], v: [values(6, 5), values(3, 6)], steps: 10, accBeta: [0.3486784, 0.99004983] },
    dis_net: { params: [values(2, 7)], m: [values(2, 8)], v: [values(2, 9)], steps: 10 },
  },
};

function written(): { dir: string; file: string; bytes: Buffer } {
  const dir = tmp();
  writeCheckpoint(dir, checkpoint);
  const file = path.join(dir, CHECKPOINT_FILE);
  return { dir, file, bytes: fs.readFileSync(file) };
}

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('a checkpoint reads back exactly as written; a run without one has none', () => {
  const { dir } = written();
  assert.deepEqual(readCheckpoint(dir), checkpoint);
  assert.equal(readCheckpoint(tmp()), undefined);
});

test('a damaged checkpoint is refused with the file and what is wrong', () => {
  const cases: [string, (bytes: Buffer) => Buffer, RegExp][] = [
    ['cut short', (b) => b.subarray(0, b.length - 5), /holds \d+ bytes of values where its header needs \d+/],
    ['a flipped bit', (b) => Buffer.concat([b.subarray(0, b.length - 1), Buffer.from([b[b.length - 1] ^ 1])]), /do not match their checksum/],
    ['not a checkpoint', () => Buffer.from('{"epoch": 2}'), /does not start like a checkpoint/],
    ['a broken header', (b) => Buffer.concat([b.subarray(0, 12), Buffer.from('!'), b.subarray(13)]), /header is not valid JSON/],
    ['empty', () => Buffer.alloc(0), /does not start like a checkpoint/],
  ];
  for (const [what, damage, why] of cases) {
    const { dir, file, bytes } = written();
    fs.writeFileSync(file, damage(bytes));
    assert.throws(() => readCheckpoint(dir), new RegExp(`^Error: The checkpoint ${escaped(file)} is damaged \\(.*\\); the run cannot resume from it\\.$`), what);
    assert.throws(() => readCheckpoint(dir), why, what);
  }
});

test("a network's state must exist and fit the network it goes into", () => {
  assert.equal(networkState(checkpoint, 'dis_net', [2]).steps, 10);
  assert.throws(() => networkState(checkpoint, 'classifier', [2]), /holds no state for classifier \(it holds autoencoder, dis_net\)/);
  assert.throws(() => networkState(checkpoint, 'autoencoder', [6, 4]), /autoencoder has parameter tensors of \[6, 3\] values; this run's autoencoder has \[6, 4\]/);
});
