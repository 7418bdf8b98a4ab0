/** Validation on receipt: every message that crosses a boundary is parsed before anything acts on it. */
import { z } from './zod';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validates an incoming message; the error names the offending field so a log line is useful. */
export function parseMessage<T>(schema: z.ZodType<T>, raw: unknown): Parsed<T> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'message';
  return { ok: false, error: `${where}: ${issue?.message ?? 'invalid'}` };
}
