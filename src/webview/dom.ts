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
