/**
 * The composite jobs, q2a, q2b and all, as one engine job each: every front end sends the kind and its
 * overrides, and the engine plans, trains or reuses, judges and (for all) writes the report. With
 * several seeds each seed's runs are made in turn; the report is made of the first seed's runs, and the
 * other seeds add their spread to its tables.
 */
import * as path from 'node:path';
import { REPORT_FOLDER } from '../../shared/experiment/defaults';
import { ExperimentSetup, experimentSetups } from '../../shared/experiment/overrides';
import { ExperimentKind, Plan } from '../../shared/experiment/plan';
import { Q2aSeedRow, Q2bSeedRow } from '../../runs/schema';
import { q2aSeeds, q2bSeeds } from '../../runs/seeds';
import { LockWaitCancelled } from '../../runs/locks';
import { RunStore, readRunRecord } from '../../runs/store';
import { exportReport } from '../report/exportReport';
import { collectReportInputs } from '../report/inputs';
import { ExperimentRequest } from '../protocol';
import { ReportSummary } from '../report/schema';
import { packageVersions } from '../versions';
import { obtainRun } from './obtain';
import { planExperiment } from './plan';
import { Q2aResult, q2aComplete, runQ2a } from './q2a';
import { Q2bResult, q2bComplete, runQ2b } from './q2b';
import { JobContext } from './jobContext';

export interface ExperimentResult {
  kind: ExperimentKind;
  /** False when it was cancelled before every part was made. */
  completed: boolean;
  plan: Plan;
  q1RunId?: string;
  bySeed: { seed: number; q2a: Q2aResult; q2b?: Q2bResult }[];
  /** The figures over every seed on disk of these configurations. */
  q2aSeeds: Q2aSeedRow[];
  q2bSeeds: Q2bSeedRow[];
  report?: ReportSummary;
}

/** Every run the experiment made or reused, for the front ends' lists. */
export function runIdsOf(result: ExperimentResult): string[] {
  return [
    ...(result.q1RunId ? [result.q1RunId] : []),
    ...result.bySeed.flatMap(({ q2a, q2b }) => [
      ...q2a.runs.map((r) => r.runId),
      ...(q2b?.disNet ? [q2b.disNet.runId] : []),
      ...(q2b?.judge ? [q2b.judge.runId] : []),
      ...(q2b?.verdicts.map((v) => v.b.runId) ?? []),
    ]),
  ];
}

async function writeReport(request: ExperimentRequest, q1RunId: string, first: Q2bResult, ctx: JobContext): Promise<ReportSummary> {
  const outDir = request.outDir ?? REPORT_FOLDER;
  ctx.emit({ type: 'log', level: 'info', jobId: ctx.jobId, message: `Writing the report to ${path.resolve(outDir)}` });
  const inputs = collectReportInputs(ctx.runsDir, {
    q1: q1RunId,
    q2a: first.q2a.runs.map((r) => r.runId),
    disNet: first.disNet?.runId,
    judge: first.judge?.runId,
    q2b: first.verdicts.map((v) => v.b.runId),
  });
  return exportReport(inputs, outDir, {
    signal: ctx.signal,
    backend: ctx.backend,
    versions: packageVersions(),
    command: request.command ?? 'npx assignment2 all',
    log: (message) => ctx.emit({ type: 'log', level: 'info', jobId: ctx.jobId, message }),
  });
}

function seedRows(setups: ExperimentSetup[], bySeed: ExperimentResult['bySeed'], runsDir: string): Pick<ExperimentResult, 'q2aSeeds' | 'q2bSeeds'> {
  const items = new RunStore(runsDir).list();
  const bConfigs = (bySeed[0]?.q2b?.verdicts ?? []).flatMap((v) => {
    const { job } = readRunRecord(path.join(runsDir, v.b.runId));
    return job.kind === 'trainAutoencoder' ? [job.config] : [];
  });
  return { q2aSeeds: q2aSeeds(items, setups[0].autoencoders), q2bSeeds: q2bSeeds(items, bConfigs) };
}

export async function runExperiment(request: ExperimentRequest, ctx: JobContext): Promise<ExperimentResult> {
  const setups = experimentSetups(request.overrides);
  const plan = planExperiment(request.kind, request.overrides, ctx.runsDir);
  ctx.emit({ type: 'plan', jobId: ctx.jobId, plan });
  const made: Made = { bySeed: [] };
  const result = (completed: boolean): ExperimentResult => ({ kind: request.kind, completed, plan, ...made, ...seedRows(setups, made.bySeed, ctx.runsDir) });
  try {
    return result(await makeParts(request, setups, made, ctx));
  } catch (err) {
    // Cancelled while another process held a job's lock: as cancelled as in the middle of training.
    if (err instanceof LockWaitCancelled) return result(false);
    throw err;
  }
}

/** What the parts made so far: kept when the experiment stops early. */
type Made = Pick<ExperimentResult, 'q1RunId' | 'bySeed' | 'report'>;

/** Trains or reuses every part into `made`; whether all of them were made. */
async function makeParts(request: ExperimentRequest, setups: ExperimentSetup[], made: Made, ctx: JobContext): Promise<boolean> {
  if (request.kind === 'all') made.q1RunId = (await obtainRun({ kind: 'q1Study', params: setups[0].q1 }, setups[0].sharpen.reuse, 'Q1', ctx)).runId;
  for (const setup of setups) {
    if (ctx.signal.aborted) return false;
    if (setups.length > 1) ctx.emit({ type: 'log', level: 'info', jobId: ctx.jobId, message: `Seed ${setup.seed}` });
    if (request.kind === 'q2a') {
      const q2a = await runQ2a(setup, ctx);
      made.bySeed.push({ seed: setup.seed, q2a });
      if (!q2aComplete(q2a, setup)) return false;
    } else {
      const q2b = await runQ2b(setup, ctx);
      made.bySeed.push({ seed: setup.seed, q2a: q2b.q2a, q2b });
      if (!q2bComplete(q2b, setup)) return false;
    }
  }
  if (request.kind !== 'all') return true;
  made.report = await writeReport(request, made.q1RunId!, made.bySeed[0].q2b!, ctx);
  return !ctx.signal.aborted;
}
