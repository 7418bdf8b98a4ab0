/** Minimal PNG encoding of 8-bit greyscale images, and a grid of MNIST digits. */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** `pixels` holds width × height grey values, row by row. */
export function encodeGreyPng(pixels: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: greyscale
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * Lays out rows of 28×28 images (values 0–255) with a gap between cells, scaled up `scale` times so
 * the digits are legible in a report.
 */
export function imageGrid(rows: Uint8Array[][], side = 28, gap = 2, scale = 2): { pixels: Uint8Array; width: number; height: number } {
  const columns = Math.max(...rows.map((r) => r.length));
  const cell = side + gap;
  const width = (columns * cell + gap) * scale;
  const height = (rows.length * cell + gap) * scale;
  const pixels = new Uint8Array(width * height).fill(255);
  rows.forEach((row, r) =>
    row.forEach((image, c) => {
      for (let y = 0; y < side * scale; y++) {
        for (let x = 0; x < side * scale; x++) {
          const value = image[Math.floor(y / scale) * side + Math.floor(x / scale)];
          pixels[((r * cell + gap) * scale + y) * width + (c * cell + gap) * scale + x] = 255 - value; // dark digits on white
        }
      }
    }),
  );
  return { pixels, width, height };
}
