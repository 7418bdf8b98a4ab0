/**
 * The command line's flags: each one a path into the command's overrides (ExperimentOverrides, or the
 * command's own options), a kind and its help. The help text is generated from these tables, so it
 * cannot drift from what the flags do; the defaults it shows are the shared ones.
 */
import { OverrideError } from '../../shared/experiment/overrides';

export class UsageError extends Error {}

export type FlagKind = 'number' | 'numbers' | 'string' | 'number-or-auto' | 'boolean';

export interface Flag {
  name: string;
  /** Where the value goes in the overrides; `options.<key>` for what is not an override (--out, --plan). */
  path: string;
  kind: FlagKind;
  /** The value's name in the help, e.g. <n>. */
  value?: string;
  help: string;
}

const isNumberText = (text: string) => text.trim() !== '' && Number.isFinite(Number(text));

function parseValue(flag: Flag, text: string): unknown {
  switch (flag.kind) {
    case 'string':
      return text;
    case 'number-or-auto':
      if (text === 'auto') return null;
      if (!isNumberText(text)) throw new UsageError(`${flag.name} must be a number or "auto", got "${text}".`);
      return Number(text);
    case 'number':
      if (!isNumberText(text)) throw new UsageError(`${flag.name} must be a number, got "${text}".`);
      return Number(text);
    case 'numbers': {
      const parts = text.split(',').map((part) => part.trim());
      if (parts.some((part) => !/^\d+$/.test(part))) throw new UsageError(`${flag.name} ${text} is not allowed: give whole numbers separated by commas.`);
      return parts.map(Number);
    }
    case 'boolean':
      return true;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let at = target;
  for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[path.at(-1)!] = value;
}

/** The overrides and options the given flags set (values as parseArgs returns them). */
export function valuesOf(flags: Flag[], values: Record<string, string | boolean | undefined>): { overrides: Record<string, unknown>; options: Record<string, unknown> } {
  const overrides: Record<string, unknown> = {};
  const options: Record<string, unknown> = {};
  for (const flag of flags) {
    const given = values[flag.name.slice(2)];
    if (given === undefined || given === false) continue;
    const value = parseValue(flag, String(given));
    const [root, ...rest] = flag.path.split('.');
    if (root === 'options') setPath(options, rest, value);
    else setPath(overrides, [root, ...rest], value);
  }
  return { overrides, options };
}

/** Runs `make`, turning an impossible override into a usage error that names the flag that set it. */
export function withFlagNames<T>(flags: Flag[], values: Record<string, unknown>, make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (!(err instanceof OverrideError)) throw err;
    const flag = flags.find((f) => f.path === err.source);
    if (!flag) throw new UsageError(`${err.path} is not allowed: ${err.problem}.`);
    const given = values[flag.name.slice(2)];
    const shown = typeof given === 'string' ? ` ${given || '""'}` : ' (its default)';
    throw new UsageError(`${flag.name}${shown} is not allowed: ${err.problem}.`);
  }
}

/** The help lines of a flag table. */
export function flagHelp(flags: Flag[]): string[] {
  return flags.map((f) => {
    const head = `  ${f.name}${f.value ? ` ${f.value}` : f.kind === 'boolean' ? '' : ' <x>'}`;
    return `${head.padEnd(23)}${head.length >= 23 ? ' ' : ''}${f.help}`;
  });
}
