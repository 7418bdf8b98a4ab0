/** 28×28 MNIST digits drawn on canvases in the theme's colours (ink = foreground, paper = background). */
import { el } from './dom';

export const DIGIT_SIDE = 28;
export const DIGIT_SIZE = DIGIT_SIDE * DIGIT_SIDE;

/** The bytes of a base64 string, as the engine writes image snapshots. */
export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function rgb(color: string): [number, number, number] {
  const probe = el('span');
  probe.style.color = color;
  document.body.append(probe);
  const match = getComputedStyle(probe).color.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0'];
  probe.remove();
  return [Number(match[0]), Number(match[1]), Number(match[2])];
}

/** A side×side grey image (0 = paper, 255 = ink) on a canvas of that many pixels, in the theme's colours. */
export function inkCanvas(pixels: Uint8Array, side: number): HTMLCanvasElement {
  const styles = getComputedStyle(document.body);
  const ink = rgb(styles.getPropertyValue('--vscode-editor-foreground') || '#000');
  const paper = rgb(styles.getPropertyValue('--vscode-editor-background') || '#fff');
  const canvas = el('canvas', { width: side, height: side });
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(side, side);
  for (let p = 0; p < side * side; p++) {
    const v = pixels[p] / 255;
    for (let c = 0; c < 3; c++) image.data[4 * p + c] = Math.round(paper[c] + (ink[c] - paper[c]) * v);
    image.data[4 * p + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

/** Image `index` of a packed array of 28×28 byte images, drawn `scale` times larger. */
export function digitCanvas(images: Uint8Array, index: number, scale = 2): HTMLCanvasElement {
  const canvas = inkCanvas(images.subarray(index * DIGIT_SIZE, (index + 1) * DIGIT_SIZE), DIGIT_SIDE);
  canvas.className = 'digit';
  canvas.style.width = canvas.style.height = `${DIGIT_SIDE * scale}px`;
  return canvas;
}

/**
 * Rows of digits with a label in front of each row; every digit is a button that calls `onPick`
 * with its column (to enlarge it, say).
 */
export function digitRows(rows: { label: string; images: Uint8Array }[], count: number, scale = 2, onPick?: (column: number) => void): HTMLElement {
  return el(
    'div',
    { className: 'digit-rows' },
    rows.map((row) =>
      el('div', { className: 'digit-row' }, [
        el('span', { className: 'digit-row-label', textContent: row.label }),
        ...Array.from({ length: count }, (_, i) => {
          const canvas = digitCanvas(row.images, i, scale);
          if (!onPick) return canvas;
          const button = el('button', { className: 'digit-button', title: 'Enlarge' }, [canvas]);
          button.addEventListener('click', () => onPick(i));
          return button;
        }),
      ]),
    ),
  );
}
