/**
 * The one way a message from a webview reaches the extension: validated against its schema, then
 * handed to the handler for its type. A malformed message reaches no handler; it is only logged.
 * Free of the vscode module, so the fuzz tests drive it directly.
 */
import { z } from 'zod';
import { parseMessage } from '../../shared/validation';

export type Handlers<M extends { type: string }> = { [K in M['type']]: (message: Extract<M, { type: K }>) => void };

/** Returns whether the message was valid (and handled). */
export function dispatchMessage<M extends { type: string }>(schema: z.ZodType<M>, raw: unknown, handlers: Handlers<M>, dropped: (problem: string) => void): boolean {
  const parsed = parseMessage(schema, raw);
  if (!parsed.ok) {
    dropped(parsed.error);
    return false;
  }
  const handle = handlers[parsed.value.type as M['type']] as (message: M) => void;
  handle(parsed.value);
  return true;
}
