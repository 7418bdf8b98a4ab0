/**
 * A strict PNG check: signature, every chunk's CRC, IHDR first with a plausible size, IEND last, and
 * image data that inflates to exactly one filtered row per line of the image.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

export interface PngInfo {
  width: number;
  height: number;
}

export function readPngInfo(file: string): PngInfo {
  const bytes = fs.readFileSync(file);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature)) throw new Error(`${file}: not a PNG signature`);
  let offset = 8;
  const types: string[] = [];
  let info: PngInfo | undefined;
  let channels = 0;
  let depth = 0;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    if (offset + 12 > bytes.length) throw new Error(`${file}: truncated chunk at byte ${offset}`);
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > bytes.length) throw new Error(`${file}: chunk ${type} runs past the end`);
    const crc = zlib.crc32(bytes.subarray(offset + 4, offset + 8 + length));
    if (crc !== bytes.readUInt32BE(offset + 8 + length)) throw new Error(`${file}: bad CRC in chunk ${type}`);
    if (type === 'IHDR') {
      info = { width: bytes.readUInt32BE(offset + 8), height: bytes.readUInt32BE(offset + 12) };
      depth = bytes[offset + 16];
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[bytes[offset + 17]] ?? 0;
    }
    if (type === 'IDAT') data.push(bytes.subarray(offset + 8, offset + 8 + length));
    types.push(type);
    offset = end;
  }
  if (types[0] !== 'IHDR' || !info) throw new Error(`${file}: IHDR is not the first chunk`);
  if (types.at(-1) !== 'IEND') throw new Error(`${file}: no IEND chunk at the end`);
  if (!types.includes('IDAT')) throw new Error(`${file}: no image data`);
  if (info.width < 1 || info.height < 1 || info.width > 10_000 || info.height > 10_000) throw new Error(`${file}: implausible size ${info.width}×${info.height}`);
  if (depth !== 8 || !channels) throw new Error(`${file}: unexpected bit depth ${depth} or colour type`);
  const pixels = zlib.inflateSync(Buffer.concat(data));
  const expected = info.height * (1 + info.width * channels);
  if (pixels.length !== expected) throw new Error(`${file}: image data inflates to ${pixels.length} bytes, expected ${expected}`);
  return info;
}
