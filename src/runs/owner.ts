/**
 * Whether the process that holds a run (or a lock) still lives. On its own host a process is asked
 * directly: its pid must exist and, where /proc tells, have started when the owner says, so that a
 * pid the system has since given to another process does not count. From another host only the
 * owner's heartbeat (a file it touches every 10 s) can tell; after 5 minutes of silence it is gone.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Owner } from './schema';

const HEARTBEAT_MS = 10_000;
/** Long enough for a suspended laptop's clock skew or a slow shared file system, short enough to act on. */
export const STALE_HEARTBEAT_MS = 5 * 60_000;

/**
 * Linux: from /proc/<pid>/stat, the state (field 3; Z for a process that has exited but is not yet
 * reaped) and the start time in clock ticks after boot (field 22). Undefined elsewhere.
 */
function processStat(pid: number | 'self'): { state: string; start?: number } | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = Number(fields[22 - 3]);
  return { state: fields[0], start: Number.isInteger(start) ? start : undefined };
}

export const processStartTime = (pid: number | 'self'): number | undefined => processStat(pid)?.start;

const selfStart = processStartTime('self');

/** This process, as the owner of what it starts now. */
export function currentOwner(now = new Date()): Owner {
  return { host: os.hostname(), pid: process.pid, startedAt: now.toISOString(), ...(selfStart === undefined ? {} : { procStart: selfStart }) };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Why the owner is gone, or undefined while it may still be alive. `heartbeatFile`: the file the owner
 * touches while it works (its mtime is read); without one, the owner's start counts as its last sign.
 */
export function ownerGone(owner: Owner, heartbeatFile: string, now = Date.now()): string | undefined {
  if (owner.host === os.hostname()) {
    const stat = processStat(owner.pid);
    if (!pidExists(owner.pid) || stat?.state === 'Z') return `its process (pid ${owner.pid}) has ended`;
    if (owner.procStart !== undefined && stat?.start !== undefined && stat.start !== owner.procStart) return `its process (pid ${owner.pid}) has ended; the pid now belongs to another process`;
    return undefined;
  }
  let lastSign = Date.parse(owner.startedAt);
  try {
    lastSign = Math.max(lastSign, fs.statSync(heartbeatFile).mtimeMs);
  } catch {
    // No heartbeat yet: the start is all there is.
  }
  const silent = now - lastSign;
  if (!(silent > STALE_HEARTBEAT_MS)) return undefined;
  return `its process (pid ${owner.pid} on ${owner.host}) has not been heard from for ${Math.round(silent / 60_000)} minutes`;
}

/**
 * Touches an existing heartbeat file every HEARTBEAT_MS until stopped. The timer does not keep the
 * process alive; a failed touch is left for the next one (the work goes on), and a file that is gone
 * stays gone (a lock taken over must not come back).
 */
export function keepAlive(file: string): { stop(): void } {
  const touch = () => {
    try {
      const now = new Date();
      fs.utimesSync(file, now, now);
    } catch {
      // Retried at the next beat.
    }
  };
  const timer = setInterval(touch, HEARTBEAT_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
