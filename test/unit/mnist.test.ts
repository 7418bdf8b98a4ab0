import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { IMAGE_SIZE, defaultMnistDir, loadMnist } from '../../src/engine/data/mnist';

function copyOfData(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-'));
  for (const f of fs.readdirSync(defaultMnistDir())) fs.copyFileSync(path.join(defaultMnistDir(), f), path.join(dir, f));
  return dir;
}

test('the shipped IDX files load with the documented counts and labels', () => {
  const test10k = loadMnist('test');
  assert.equal(test10k.count, 10000);
  assert.equal(test10k.images.length, 10000 * IMAGE_SIZE);
  assert.equal(test10k.labels[0], 7); // the first MNIST test digit is a 7
  const counts = new Array(10).fill(0);
  for (const l of test10k.labels) counts[l]++;
  assert.deepEqual(counts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  let min = Infinity;
  let max = -Infinity;
  for (const p of test10k.images) {
    if (p < min) min = p;
    if (p > max) max = p;
  }
  assert.deepEqual([min, max], [0, 1]);

  const train = loadMnist('train', undefined, 100);
  assert.equal(train.count, 100);
  assert.deepEqual([...train.labels.slice(0, 5)], [5, 0, 4, 1, 9]); // the famous first five training labels
});

test('a truncated file is named and called truncated', () => {
  const dir = copyOfData();
  const file = path.join(dir, 't10k-images-idx3-ubyte');
  fs.truncateSync(file, 16 + 784 * 5000);
  assert.throws(() => loadMnist('test', dir), (err: Error) => err.message.includes(file) && /truncated/.test(err.message));
  fs.truncateSync(file, 10);
  assert.throws(() => loadMnist('test', dir), /shorter than its 16-byte header/);
});

test('a wrong magic number, a wrong count and a missing file are reported', () => {
  const dir = copyOfData();
  const labels = path.join(dir, 't10k-labels-idx1-ubyte');
  const buf = fs.readFileSync(labels);
  buf.writeUInt32BE(0x1f8b0808, 0); // what a gzip file starts with
  fs.writeFileSync(labels, buf);
  assert.throws(() => loadMnist('test', dir), (err: Error) => err.message.includes(labels) && /wrong magic number 0x1f8b0808/.test(err.message));

  buf.writeUInt32BE(0x00000801, 0);
  buf.writeUInt32BE(9999, 4);
  fs.writeFileSync(labels, buf);
  assert.throws(() => loadMnist('test', dir), /header says 9999 items, expected 10000/);

  fs.rmSync(labels);
  assert.throws(() => loadMnist('test', dir), /missing/);
});

test('a label outside 0–9 is rejected', () => {
  const dir = copyOfData();
  const labels = path.join(dir, 't10k-labels-idx1-ubyte');
  const buf = fs.readFileSync(labels);
  buf[8 + 3] = 12;
  fs.writeFileSync(labels, buf);
  assert.throws(() => loadMnist('test', dir), /label 12 at index 3/);
});
