/** Rows of 28×28 MNIST digits with a label before each row, as a PNG (dark ink on white). */
import { napiCanvas } from './canvas';

const SIDE = 28;

export interface DigitRow {
  label: string;
  /** Packed 28×28 grey bytes, 0 = background. */
  images: Uint8Array;
}

export function digitGridPng(rows: DigitRow[], title: string, scale = 2, labelWidth = 190): Buffer {
  const { createCanvas } = napiCanvas();
  const count = Math.max(...rows.map((r) => r.images.length / (SIDE * SIDE)));
  const cell = SIDE * scale + 2;
  const top = 34;
  const canvas = createCanvas(labelWidth + count * cell + 8, top + rows.length * cell + 8);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#222222';
  ctx.font = 'bold 16px Liberation Sans, DejaVu Sans, sans-serif';
  ctx.fillText(title, 8, 22);
  ctx.font = '14px Liberation Sans, DejaVu Sans, sans-serif';
  const digit = ctx.createImageData(SIDE * scale, SIDE * scale);
  rows.forEach((row, r) => {
    const y = top + r * cell;
    ctx.fillStyle = '#222222';
    ctx.fillText(row.label, 8, y + cell / 2 + 5);
    for (let i = 0; i < row.images.length / (SIDE * SIDE); i++) {
      for (let py = 0; py < SIDE * scale; py++) {
        for (let px = 0; px < SIDE * scale; px++) {
          const ink = row.images[i * SIDE * SIDE + Math.floor(py / scale) * SIDE + Math.floor(px / scale)];
          const o = 4 * (py * SIDE * scale + px);
          digit.data[o] = digit.data[o + 1] = digit.data[o + 2] = 255 - ink;
          digit.data[o + 3] = 255;
        }
      }
      ctx.putImageData(digit, labelWidth + i * cell, y);
    }
  });
  return canvas.toBuffer('image/png');
}
