/** A tiny element builder: properties are assigned (never parsed as HTML), children appended. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Partial<HTMLElementTagNameMap[K]>,
  children?: Node[],
): HTMLElementTagNameMap[K];
export function el(tag: string, props?: Record<string, unknown>, children?: Node[]): HTMLElement;
export function el(tag: string, props: Record<string, unknown> = {}, children: Node[] = []): HTMLElement {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

/** A table of text (or element) cells under a header row. */
export function table(header: string[], rows: (string | Node)[][], className = 'runs'): HTMLElement {
  const cell = (c: string | Node) => (typeof c === 'string' ? el('td', { textContent: c }) : el('td', {}, [c]));
  return el('table', { className }, [
    el('thead', {}, [el('tr', {}, header.map((h) => el('th', { textContent: h })))]),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map(cell)))),
  ]);
}
