/** Malformed messages for fuzz tests: a valid message with one part broken, or no message at all. */

export type Rng = () => number;

/** A seeded linear congruential generator: the same messages on every run. */
export function seededRng(seed: number): Rng {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const JUNK: unknown[] = [null, -1, 0, 1e308, '', 'x'.repeat(1000), [], {}, true, { $: 1 }, [1, 2, 3], -0.5, '../../etc/passwd', '<img src=x onerror=alert(1)>'];

/** Mutates a copy of one of `valid` so that it breaks its schema in one of several ways (or returns junk). */
export function malformed(valid: Record<string, unknown>[], rng: Rng): unknown {
  const pick = <T>(items: T[]): T => items[Math.floor(rng() * items.length)];
  const message = structuredClone(pick(valid));
  switch (Math.floor(rng() * 5)) {
    case 0:
      return pick(JUNK);
    case 1: // an unknown type
      return { ...message, type: pick(['startjob', 'shutdown ', 'eval', '__proto__', 'constructor', 'READY']) };
    case 2: {
      // a required field removed
      const keys = Object.keys(message).filter((k) => k !== 'type');
      if (!keys.length) return { ...message, type: 7 };
      delete message[pick(keys)];
      return message;
    }
    case 3: {
      // a field, possibly deep in a configuration, replaced with junk
      let target = message;
      for (;;) {
        const keys = Object.keys(target).filter((k) => k !== 'type' || target !== message);
        if (!keys.length) return { ...message, type: 7 };
        const key = pick(keys);
        const value = target[key];
        if (value && typeof value === 'object' && !Array.isArray(value) && rng() < 0.7) target = value as Record<string, unknown>;
        else {
          target[key] = pick(JUNK);
          return message;
        }
      }
    }
    default:
      return { ...message, type: 7 };
  }
}
