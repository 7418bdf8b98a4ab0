/**
 * One lock per job specification in `<runsDir>/.locks/`, so that processes sharing a runs folder (VS
 * Code's engine and a terminal, or tasks of a cluster job) never train the same job side by side: the
 * second waits for the first, then finds its run. The lock is a file created exclusively (O_EXCL),
 * holding its owner and a token no other file has; the holder touches it while it works and removes it
 * when the work settles.
 *
 * A lock whose owner is gone (the rules of owner.ts, the file's mtime as the heartbeat) is taken over.
 * Only the process that exclusively creates the takeover file named after the stale lock's token may
 * remove that lock, so of several waiters that find it stale, one removes it, and no waiter can remove
 * a lock that another has taken meanwhile; then all race to create the lock anew, and one wins.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JobSpec } from '../shared/jobs/specs';
import { z } from '../shared/zod';
import { currentOwner, keepAlive, ownerGone } from './owner';
import { Owner } from './schema';

const LOCKS_DIR = '.locks';
const POLL_MS = 1000;
const TAKEOVER_POLL_MS = 50;
/** A lock file read while its creator is still writing it is empty or cut short; after this long it never will be complete. */
const UNFINISHED_MS = 30_000;

const Claim = z.object({ owner: Owner, token: z.string().min(1) });

export interface LockHooks {
  /** Called once, when the lock is first found held by a live owner. */
  onWait(holder: Owner): void;
  signal?: AbortSignal;
}

export class LockWaitCancelled extends Error {}

/** The lock file of a job: a hash of its parsed specification, so that key order cannot matter. */
export function jobLockFile(runsDir: string, job: JobSpec): string {
  const hash = createHash('sha256').update(JSON.stringify(JobSpec.parse(job))).digest('hex').slice(0, 32);
  return path.join(runsDir, LOCKS_DIR, `${job.kind}-${hash}.lock`);
}

/** Runs `work` holding the job's lock, waiting for it while another live process holds it. */
export async function withJobLock<T>(runsDir: string, job: JobSpec, hooks: LockHooks, work: () => Promise<T>): Promise<T> {
  const file = jobLockFile(runsDir, job);
  const content = await acquire(file, hooks);
  const heartbeat = keepAlive(file);
  try {
    return await work();
  } finally {
    heartbeat.stop();
    release(file, content);
  }
}

/** Waits until this process holds the lock; returns the content it wrote. */
async function acquire(file: string, hooks: LockHooks): Promise<string> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const content = claim();
  let told = false;
  for (;;) {
    if (hooks.signal?.aborted) throw new LockWaitCancelled(`Stopped waiting for ${file}.`);
    if (create(file, content)) return content;
    const found = read(file);
    if (found === undefined) continue; // released meanwhile
    if (isStale(file, found)) {
      // Another waiter may be taking it over: then a moment later the lock is new, or gone.
      if (!removeStale(file, found)) await sleep(TAKEOVER_POLL_MS, hooks.signal);
      continue;
    }
    const holder = parse(found.text);
    if (holder && !told) {
      told = true;
      hooks.onWait(holder.owner);
    }
    await sleep(POLL_MS, hooks.signal);
  }
}

/** A lock's or takeover file's content: this process and a fresh token. */
const claim = () => JSON.stringify({ owner: currentOwner(), token: randomBytes(12).toString('hex') });

/** Creates the file with `content` if there is none; false if there is one. */
function create(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new Error(`Cannot create the lock ${file}: ${(err as Error).message}`);
  }
  try {
    fs.writeFileSync(fd, content);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw new Error(`Cannot write the lock ${file}: ${(err as Error).message}`);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

interface Found {
  text: string;
  ino: number;
  mtimeMs: number;
}

function read(file: string): Found | undefined {
  try {
    const { ino, mtimeMs } = fs.statSync(file);
    return { text: fs.readFileSync(file, 'utf8'), ino, mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Cannot read the lock ${file}: ${(err as Error).message}`);
  }
}

/** The file's owner and token, or undefined while the file is not (yet) complete. */
function parse(text: string): z.infer<typeof Claim> | undefined {
  try {
    const parsed = Claim.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isStale(file: string, found: Found): boolean {
  const holder = parse(found.text);
  return holder ? ownerGone(holder.owner, file) !== undefined : Date.now() - found.mtimeMs > UNFINISHED_MS;
}

/**
 * Removes the stale `file` as `found`, unless another process is already doing so (false). The
 * takeover file is this process's right to remove exactly that file: while it holds it, the file
 * cannot change (its owner is gone, and nobody else may remove it), so the check before removing it
 * holds. A takeover file whose own process died is removed the same way.
 */
function removeStale(file: string, found: Found): boolean {
  const takeover = `${file}.takeover-${parse(found.text)?.token ?? `inode-${found.ino}`}`;
  if (!create(takeover, claim())) {
    const other = read(takeover);
    if (other && isStale(takeover, other)) removeStale(takeover, other);
    return false;
  }
  try {
    const now = read(file);
    if (now?.text === found.text && now.ino === found.ino) fs.rmSync(file);
  } finally {
    fs.rmSync(takeover, { force: true });
  }
  return true;
}

/** Removes the lock if it is still this process's. */
function release(file: string, content: string): void {
  if (read(file)?.text === content) fs.rmSync(file, { force: true });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
