/**
 * Q2b: the Q2a runs to compare against, dis_net and the judge (each reused when a matching one
 * finished), the sharpened autoencoders (b) trained with L1 + λ × dis_net loss, and each (b)'s verdict
 * against its (a), stored with (b).
 */
import { AutoencoderConfig, DisNetConfig, JobSpec } from '../../shared/jobs/specs';
import { SharpenRecipe } from '../../shared/experiment/defaults';
import { ExperimentSetup, SharpenOptions } from '../../shared/experiment/overrides';
import { Q2bVerdict } from '../../shared/q2b/verdict';
import { readRunRecord } from '../../runs/store';
import { obtainRun } from './obtain';
import { Q2aResult, q2aComplete, runQ2a } from './q2a';
import { JobContext } from './jobContext';
import { verdictFor } from './verdict';

interface Classifier {
  runId: string;
  runDir: string;
  testAccuracy?: number;
  confusion?: [[number, number], [number, number]];
  reused: boolean;
}

export interface Q2bResult {
  q2a: Q2aResult;
  disNet?: Classifier;
  judge?: Classifier;
  /** One per (b) trained and judged, in the order of the latent sizes and then the modes. */
  verdicts: Q2bVerdict[];
  observations: string[];
}

/** (b)'s configuration: its (a)'s, trained on with this recipe against this dis_net. */
export function sharpenedConfig(a: AutoencoderConfig, recipe: SharpenRecipe, disNetRunId: string, aRunId: string, sharpen: SharpenOptions): AutoencoderConfig {
  return { ...a, epochs: sharpen.epochs, adversarial: { ...recipe, disNetRunId, ...(sharpen.fromQ2a ? { initRunId: aRunId } : {}) } };
}

/** Whether every (b) was trained and judged: not when a run was cancelled or failed. */
export const q2bComplete = (result: Q2bResult, setup: ExperimentSetup) => result.verdicts.length === setup.autoencoders.length * setup.sharpen.recipes.length;

async function classifier(kind: 'trainDisNet' | 'trainJudge', config: DisNetConfig, reuse: boolean, ctx: JobContext): Promise<Classifier | undefined> {
  const spec: JobSpec = { kind, config };
  const { dir, reused } = await obtainRun(spec, reuse, kind === 'trainJudge' ? 'the judge' : 'dis_net', ctx);
  const record = readRunRecord(dir);
  if (record.status !== 'completed') return undefined;
  const summary = record.summary?.kind === 'disnet' ? record.summary : undefined;
  return { runId: record.id, runDir: dir, testAccuracy: summary?.testAccuracy, confusion: summary?.confusion, reused };
}

export async function runQ2b(setup: ExperimentSetup, ctx: JobContext): Promise<Q2bResult> {
  const { sharpen } = setup;
  const q2a = await runQ2a(setup, ctx);
  const result: Q2bResult = { q2a, verdicts: [], observations: [] };
  if (!q2aComplete(q2a, setup)) return result;
  result.disNet = await classifier('trainDisNet', setup.disNet, sharpen.reuse, ctx);
  if (!result.disNet || ctx.signal.aborted) return result;
  result.judge = await classifier('trainJudge', setup.judge, sharpen.reuse, ctx);
  if (!result.judge) return result;
  const scorers = { disNetDir: result.disNet.runDir, judgeDir: result.judge.runDir, backend: ctx.backend };
  for (const [i, config] of setup.autoencoders.entries()) {
    const a = q2a.runs[i];
    for (const recipe of sharpen.recipes) {
      if (ctx.signal.aborted) return result;
      const bConfig = sharpenedConfig(config, recipe, result.disNet.runId, a.runId, sharpen);
      const b = await obtainRun({ kind: 'trainAutoencoder', config: bConfig }, sharpen.reuse, `L=${config.latent} (b) ${recipe.mode}`, ctx);
      if (readRunRecord(b.dir).status !== 'completed') return result;
      result.verdicts.push(await verdictFor(a.runDir, b.dir, config.latent, recipe.mode, { ...scorers, testImages: config.testImages }));
    }
  }
  result.observations = result.verdicts.map((v) => v.observation);
  return result;
}
