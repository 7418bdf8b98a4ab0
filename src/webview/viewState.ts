/**
 * The page's persisted state: each view restores its part on load and saves it on every change, so a
 * reload or a hidden tab loses none of the student's choices. The saved value is validated field by
 * field: a field from an older page that no longer parses is dropped, the others are kept.
 */
import { WebviewState } from '../extension/views/workbench/protocol';
import { saveState, savedState } from './host';

function restoreAll(): WebviewState {
  const saved = savedState();
  if (!saved || typeof saved !== 'object') return {};
  const state: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(WebviewState.shape)) {
    const parsed = field.safeParse((saved as Record<string, unknown>)[key]);
    if (parsed.success && parsed.data !== undefined) state[key] = parsed.data;
  }
  return state as WebviewState;
}

let state = restoreAll();

export function restored<K extends keyof WebviewState>(key: K): WebviewState[K] {
  return state[key];
}

export function persist<K extends keyof WebviewState>(key: K, value: WebviewState[K]): void {
  state = { ...state, [key]: value };
  saveState(state);
}
