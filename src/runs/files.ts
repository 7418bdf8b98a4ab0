/**
 * The files of a run folder besides run.json and metrics.jsonl, and their validated readers.
 * Node-only and free of tfjs, so the extension host reads what the engine writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { Q2bVerdict } from '../shared/q2b/verdict';
import { AutoencoderAnalysis, BlurSamples, JudgedScores, LatentPoints, PixelBaseline, ReconstructionSnapshots, RunDetails, TrainingStep } from './schema';
import { readJsonLines } from './store';

/** Every training batch's loss, one line each (see stepLog.ts). */
export const STEPS_FILE = 'steps.jsonl';
export const ANALYSIS_FILE = 'analysis.json';
export const POINTS_FILE = 'points.json';
export const SNAPSHOTS_FILE = 'reconstructions.json';
export const JUDGED_FILE = 'judged.json';
/** In a (b) run: Q2b's verdict against its (a), stored when the comparison is first made. */
export const VERDICT_FILE = 'verdict.json';
export const BLUR_SAMPLES_FILE = 'blur-samples.json';
export const BLUR_SAMPLES_PNG = 'blur-samples.png';
export const RECONSTRUCTIONS_PNG = 'reconstructions.png';
export const Q1_STUDY_FILE = 'study.json';
export const Q1_ANSWER_FILE = 'answer.md';

type Read<T> = { ok: true; value: T } | { ok: false; problem?: string };

/** A missing file is no problem (not written yet); an unreadable or invalid one is. */
export function readJson<T>(file: string, schema: z.ZodType<T>): Read<T> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? { ok: false } : { ok: false, problem: `${file}: ${(err as Error).message}` };
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return { ok: true, value: parsed.data };
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `${file}: ${issue.path.join('.') || 'root'}: ${issue.message}` };
  } catch {
    return { ok: false, problem: `${file} is not valid JSON` };
  }
}

export function readAnalysis(dir: string): AutoencoderAnalysis | undefined {
  const read = readJson(path.join(dir, ANALYSIS_FILE), AutoencoderAnalysis);
  return read.ok ? read.value : undefined;
}

export function readJudged(dir: string): JudgedScores | undefined {
  const read = readJson(path.join(dir, JUDGED_FILE), JudgedScores);
  return read.ok ? read.value : undefined;
}

export function readVerdict(dir: string): Q2bVerdict | undefined {
  const read = readJson(path.join(dir, VERDICT_FILE), Q2bVerdict);
  return read.ok ? read.value : undefined;
}

/** steps.jsonl; a last line cut off by a crash is ignored, any other bad line is an error. */
export function readSteps(dir: string): TrainingStep[] {
  return readJsonLines(path.join(dir, STEPS_FILE), TrainingStep, 'a training step');
}

function readStepsOf(dir: string): Read<TrainingStep[]> {
  try {
    return { ok: true, value: readSteps(dir) };
  } catch (err) {
    return { ok: false, problem: (err as Error).message };
  }
}

export function readRunDetails(dir: string): RunDetails {
  const problems: string[] = [];
  const take = <T>(read: Read<T>): T | undefined => {
    if (read.ok) return read.value;
    if (read.problem) problems.push(read.problem);
    return undefined;
  };
  return {
    runId: path.basename(dir),
    analysis: take(readJson(path.join(dir, ANALYSIS_FILE), AutoencoderAnalysis)),
    judged: take(readJson(path.join(dir, JUDGED_FILE), JudgedScores)),
    verdict: take(readJson(path.join(dir, VERDICT_FILE), Q2bVerdict)),
    points: take(readJson(path.join(dir, POINTS_FILE), LatentPoints)),
    reconstructions: take(readJson(path.join(dir, SNAPSHOTS_FILE), ReconstructionSnapshots)),
    blurSamples: take(readJson(path.join(dir, BLUR_SAMPLES_FILE), BlurSamples)),
    steps: take(readStepsOf(dir)),
    problems,
  };
}

/** Raw-pixel K-means depends only on the test images and the seed: computed once, kept beside the runs. */
export function pixelBaselineFile(runsDir: string, testImages: number, seed: number): string {
  return path.join(runsDir, '..', 'cache', `pixel-kmeans-${testImages}-seed${seed}.json`);
}

export function readPixelBaseline(file: string): PixelBaseline | undefined {
  const read = readJson(file, PixelBaseline);
  return read.ok ? read.value : undefined;
}
