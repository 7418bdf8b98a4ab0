/**
 * A trailing debounce per key: a burst of calls for one key runs the action once, when the key has been
 * quiet for `waitMs`, and at the latest `maxWaitMs` after the burst began, so a key that never goes
 * quiet (a tiny run finishing an epoch every 100 ms) is still acted on. Free of vscode.
 */
export class KeyedDebounce<K> {
  private readonly pending = new Map<K, { timer: ReturnType<typeof setTimeout>; since: number }>();

  constructor(
    private readonly action: (key: K) => void,
    private readonly waitMs: number,
    private readonly maxWaitMs: number,
  ) {}

  schedule(key: K): void {
    const now = Date.now();
    const since = this.pending.get(key)?.since ?? now;
    this.cancel(key);
    const delay = Math.max(0, Math.min(this.waitMs, since + this.maxWaitMs - now));
    const timer = setTimeout(() => {
      this.pending.delete(key);
      this.action(key);
    }, delay);
    this.pending.set(key, { timer, since });
  }

  /** Drops the key's pending call, for a caller that acts on the key right now. */
  cancel(key: K): void {
    clearTimeout(this.pending.get(key)?.timer);
    this.pending.delete(key);
  }

  cancelAll(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
