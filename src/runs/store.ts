/**
 * Run folders on disk: `<runsDir>/<run-id>/run.json` + `metrics.jsonl` + artefacts.
 * The engine writes runs; the extension reads them (and marks a run failed when the engine dies).
 * Node-only: the webview never imports this.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { EpochMetrics, Owner, RunListItem, RunRecord, RunStatus, RunSummary } from './schema';
import { JobSpec } from '../shared/jobs/specs';
import { ownerGone } from './owner';

export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
/** Touched by the owner while the run is running (see owner.ts). */
export const HEARTBEAT_FILE = 'heartbeat';

const WRITE_PROBLEMS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is larger than this system allows',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/** A failed write, named by its file and, for the usual causes, in words (the system's code kept). */
export class WriteError extends Error {
  constructor(file: string, err: unknown) {
    const code = (err as NodeJS.ErrnoException).code;
    super(`Cannot write ${file}: ${code && WRITE_PROBLEMS[code] ? `${WRITE_PROBLEMS[code]} (${code})` : (err as Error).message}.`);
  }
}

/** Write-then-rename, so a reader never sees a half-written file and a crash leaves the old one. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new WriteError(file, err);
  }
}

/** Sortable, unique and readable: 20261127-143005-ae16-3f9a. */
export function newRunId(tag: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${tag}-${randomBytes(2).toString('hex')}`;
}

export class RunStore {
  constructor(readonly runsDir: string) {}

  dirOf(id: string): string {
    if (!/^[\w.-]+$/.test(id) || id.startsWith('.')) throw new Error(`Invalid run id "${id}".`);
    return path.join(this.runsDir, id);
  }

  /**
   * Creates the folder and its run.json; fails if the id is taken rather than mixing two runs. A folder
   * whose run.json cannot be written is removed again, so a failed start leaves nothing behind.
   */
  create(record: RunRecord): string {
    const dir = this.dirOf(record.id);
    const advice = 'Check that the runs folder (assignment2.runsDirectory, or --runs-dir) exists or can be created, is writable and has space.';
    try {
      fs.mkdirSync(this.runsDir, { recursive: true });
      fs.mkdirSync(dir);
    } catch (err) {
      throw new Error(`Cannot create run folder ${dir}: ${(err as Error).message}. ${advice}`);
    }
    try {
      writeRunRecord(dir, record);
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      const problem = err instanceof WriteError ? err : new WriteError(path.join(dir, RUN_FILE), err);
      throw new Error(`${problem.message} ${advice}`);
    }
    return dir;
  }

  /** Every run folder, newest first; damaged ones are listed with the problem, never dropped. */
  list(): RunListItem[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.runsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names
      .filter((name) => !name.startsWith('.'))
      .sort()
      .reverse()
      .map((name) => readRun(path.join(this.runsDir, name)));
  }

  /** The newest completed run of exactly this job (compared after parsing, so key order cannot differ). */
  findCompleted(job: JobSpec, also: (dir: string) => boolean = () => true): Extract<RunListItem, { ok: true }> | undefined {
    return findCompletedIn(this.list(), job, also);
  }

  delete(id: string): void {
    fs.rmSync(this.dirOf(id), { recursive: true, force: true });
  }
}

/** The newest completed run of exactly this job among listed runs, for callers that search one listing many times. */
export function findCompletedIn(items: RunListItem[], job: JobSpec, also: (dir: string) => boolean = () => true): Extract<RunListItem, { ok: true }> | undefined {
  const wanted = JSON.stringify(JobSpec.parse(job));
  return items.find((item): item is Extract<RunListItem, { ok: true }> => item.ok && item.run.status === 'completed' && JSON.stringify(item.run.job) === wanted && also(item.dir));
}

export function writeRunRecord(dir: string, record: RunRecord): void {
  writeFileAtomic(path.join(dir, RUN_FILE), JSON.stringify(RunRecord.parse(record), null, 2) + '\n');
}

/** One line per epoch; a crash mid-write leaves at most one unterminated line, which readers skip. */
export function appendMetrics(dir: string, metrics: EpochMetrics): void {
  const file = path.join(dir, METRICS_FILE);
  try {
    fs.appendFileSync(file, JSON.stringify(EpochMetrics.parse(metrics)) + '\n');
  } catch (err) {
    throw new WriteError(file, err);
  }
}

/**
 * Sets a final status; a run that already ended keeps its status (first writer wins). With `owner`,
 * only while that owner still holds the run: one that was resumed meanwhile belongs to another.
 */
export function finishRun(dir: string, status: Exclude<RunStatus, 'running'>, extra: { error?: string; summary?: RunSummary } = {}, owner?: Owner): RunRecord {
  const record = readRunRecord(dir);
  if (record.status !== 'running') return record;
  if (owner && JSON.stringify(record.owner) !== JSON.stringify(owner)) return record;
  const next: RunRecord = { ...record, ...extra, status, endedAt: new Date().toISOString() };
  writeRunRecord(dir, next);
  return next;
}

export function readRunRecord(dir: string): RunRecord {
  const file = path.join(dir, RUN_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file} cannot be read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON (damaged or half-written).`);
  }
  const parsed = RunRecord.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file} does not describe a run: ${issue.path.join('.') || 'root'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Reads metrics.jsonl (see readJsonLines). */
export function readMetrics(dir: string): EpochMetrics[] {
  return readJsonLines(path.join(dir, METRICS_FILE), EpochMetrics, 'an epoch record');
}

/**
 * Reads a file of one JSON record per line; a missing file holds none. A final line without a newline
 * is a record whose write was cut off by a crash: it is ignored. Any other bad line means the file is
 * damaged.
 */
export function readJsonLines<T>(file: string, schema: z.ZodType<T>, what: string): T[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lines = text.split('\n');
  const complete = lines.slice(0, -1); // the last element is '' or an unterminated line
  return complete.map((line, i) => {
    let parsed: z.ZodSafeParseResult<T>;
    try {
      parsed = schema.safeParse(JSON.parse(line));
    } catch {
      throw new Error(`${file} line ${i + 1} is not valid JSON.`);
    }
    if (!parsed.success) throw new Error(`${file} line ${i + 1} is not ${what}.`);
    return parsed.data;
  });
}

/**
 * Keeps the epochs up to `epoch` and returns them: a resumed run trains the later ones again, from its
 * checkpoint. They must all be there, 1 to `epoch`, or the file does not belong with the checkpoint.
 */
export function keepMetricsThrough(dir: string, epoch: number): EpochMetrics[] {
  const file = path.join(dir, METRICS_FILE);
  const kept = readMetrics(dir).filter((m) => m.epoch <= epoch);
  if (kept.length !== epoch || kept.some((m, i) => m.epoch !== i + 1)) {
    throw new Error(`${file} holds epochs ${kept.map((m) => m.epoch).join(', ') || 'none'} up to the checkpoint's epoch ${epoch}; it needs each of 1 to ${epoch} once.`);
  }
  writeFileAtomic(file, kept.map((m) => JSON.stringify(m) + '\n').join(''));
  return kept;
}

/**
 * A running run whose owner is gone was interrupted: it is recorded so (first writer wins) and returned
 * so. Runs from before owners (version 3) name none and are left as they are.
 */
export function interruptIfOrphaned(dir: string, record: RunRecord): RunRecord {
  if (record.status !== 'running' || !record.owner) return record;
  const gone = ownerGone(record.owner, path.join(dir, HEARTBEAT_FILE));
  if (!gone) return record;
  const error = `Interrupted: ${gone}.`;
  try {
    return finishRun(dir, 'interrupted', { error }, record.owner);
  } catch {
    // A reader that cannot write (a read-only share) still shows what it found.
    return { ...record, status: 'interrupted', error };
  }
}

export function readRun(dir: string): RunListItem {
  try {
    return { ok: true, dir, run: interruptIfOrphaned(dir, readRunRecord(dir)), metrics: readMetrics(dir) };
  } catch (err) {
    return { ok: false, dir, id: path.basename(dir), problem: (err as Error).message };
  }
}
