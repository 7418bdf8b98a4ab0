/** The bytes of a chart the page asked to save, checked before anything is written. Free of vscode, for the unit tests. */
import { ChartFile } from './protocol';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function chartFileBytes(file: ChartFile): Uint8Array {
  if (file.kind === 'csv') return Buffer.from(file.text, 'utf8');
  const bytes = Buffer.from(file.dataUrl.slice(file.dataUrl.indexOf(',') + 1), 'base64');
  if (!bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) throw new Error('The chart image is not a PNG file; nothing was saved.');
  return bytes;
}
