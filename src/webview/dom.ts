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

/** A vscode-button that calls `onClick`; `secondary` for the quieter look of an action beside the main one. */
export function button(text: string, onClick: () => void, { secondary = false, title }: { secondary?: boolean; title?: string } = {}): HTMLElement {
  const b = el('vscode-button', { textContent: text, ...(title === undefined ? {} : { title }) });
  if (secondary) b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  return b;
}

/** A table of text (or element) cells under a header row. */
export function table(header: string[], rows: (string | Node)[][], className = 'runs'): HTMLElement {
  const cell = (c: string | Node) => (typeof c === 'string' ? el('td', { textContent: c }) : el('td', {}, [c]));
  return el('table', { className }, [
    el('thead', {}, [el('tr', {}, header.map((h) => el('th', { textContent: h })))]),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map(cell)))),
  ]);
}

/**
 * Replaces a vscode-single-select's options. The chosen one is marked `selected`: the select reads its
 * options only after they are slotted, so a value set at once would pick among the old ones.
 */
export function setOptions(select: HTMLElement & { value: string }, options: { value: string; label: string }[], chosen: string | undefined): void {
  select.replaceChildren(
    ...options.map(({ value, label }) => {
      const option = el('vscode-option', { textContent: label });
      option.setAttribute('value', value);
      if (value === chosen) option.setAttribute('selected', '');
      return option;
    }),
  );
  if (chosen !== undefined) select.value = chosen;
}
