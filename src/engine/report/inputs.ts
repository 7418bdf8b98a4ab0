/**
 * Which runs a report is made of. The `all` command names the runs it just trained or reused; the
 * extension's export takes the newest finished run of each part from the runs folder. Either way the
 * report says which parts are missing, so nothing is silently left out.
 */
import { AutoencoderAnalysis, AutoencoderEpoch, BlurSamples, DisNetEpoch, LatentPoints, PixelBaseline, ReconstructionSnapshots, RunListItem, isAutoencoderEpoch } from '../../runs/schema';
import { DisNetConfig, SHARPEN_MODES, SharpenMode } from '../../shared/jobs/specs';
import { MissingPart } from './schema';
import { pixelBaselineFile, readPixelBaseline, readRunDetails } from '../../runs/files';
import { RunStore } from '../../runs/store';

export const REPORT_LATENTS = [2, 16, 256];

type Completed = Extract<RunListItem, { ok: true }>;
export type AutoencoderItem = Completed & { run: { job: { kind: 'trainAutoencoder' } } };
type Q1Item = Completed & { run: { job: { kind: 'q1Study' } } };

export interface AnalysedAutoencoder {
  item: AutoencoderItem;
  metrics: AutoencoderEpoch[];
  analysis: AutoencoderAnalysis;
  points?: LatentPoints;
  snapshots?: ReconstructionSnapshots;
}

export interface ReportInputs {
  runsDir: string;
  /** Every finished run, newest first: the other seeds of the chosen configurations are among them. */
  completed: Completed[];
  q1?: Q1Item;
  q2a: AnalysedAutoencoder[];
  baseline?: PixelBaseline;
  disNet?: { item: Completed; config: DisNetConfig; metrics: DisNetEpoch[]; blurSamples?: BlurSamples };
  /** The classifier that scores (a) and (b) without having been trained against either. */
  judge?: { item: Completed; config: DisNetConfig };
  /** (a) and a (b) of one latent size and mode; (a) is the run (b) started from, else the Q2a run of its size. */
  q2b: { latent: number; mode: SharpenMode; a: AnalysedAutoencoder; b: AnalysedAutoencoder }[];
  missing: MissingPart[];
}

/** Whether row i is the first of its latent size: (a) is shown once per size, before each mode's (b). */
export const firstOfItsSize = (rows: { latent: number }[], i: number) => rows[i - 1]?.latent !== rows[i].latent;

/** Run ids to use instead of the newest ones (the `all` command's own runs). */
export interface ReportPicks {
  q1?: string;
  q2a?: string[];
  disNet?: string;
  judge?: string;
  q2b?: string[];
}

const completed = (item: RunListItem): item is Completed => item.ok && item.run.status === 'completed';
const isAutoencoder = (item: Completed): item is AutoencoderItem => item.run.job.kind === 'trainAutoencoder';

function analysed(item: AutoencoderItem): AnalysedAutoencoder | undefined {
  const details = readRunDetails(item.dir);
  if (!details.analysis) return undefined;
  return { item, metrics: item.metrics.filter(isAutoencoderEpoch), analysis: details.analysis, points: details.points, snapshots: details.reconstructions };
}

/** The newest run with this latent size whose analysis can be read (files are read only until one is). */
function newestAnalysed(items: AutoencoderItem[], latent: number): AnalysedAutoencoder | undefined {
  for (const item of items) {
    const found = item.run.job.config.latent === latent ? analysed(item) : undefined;
    if (found) return found;
  }
  return undefined;
}

export function collectReportInputs(runsDir: string, picks: ReportPicks = {}): ReportInputs {
  const runs = new RunStore(runsDir).list().filter(completed);
  const byId = new Map(runs.map((r) => [r.run.id, r]));
  const pick = <T extends Completed>(ids: string[] | undefined, candidates: T[]): T[] =>
    ids ? ids.flatMap((id) => candidates.filter((c) => c.run.id === id)) : candidates;
  const missing: MissingPart[] = [];

  const q1 = pick(picks.q1 ? [picks.q1] : undefined, runs.filter((r): r is Q1Item => r.run.job.kind === 'q1Study'))[0];
  if (!q1) missing.push({ part: 'q1', message: 'Q1: no finished Q1 study.' });

  // Q2a: the newest analysed run of each latent size (runs list newest first).
  const autoencoders = runs.filter(isAutoencoder);
  const plain = pick(picks.q2a, autoencoders.filter((r) => !r.run.job.config.adversarial));
  const q2a: AnalysedAutoencoder[] = [];
  for (const latent of REPORT_LATENTS) {
    const found = newestAnalysed(plain, latent);
    if (found) q2a.push(found);
    else missing.push({ part: 'q2a', latent, message: `Q2a: no finished, analysed autoencoder with a ${latent}-D latent.` });
  }
  const first = q2a[0]?.item.run.job.config;
  const baseline = first && readPixelBaseline(pixelBaselineFile(runsDir, first.testImages, first.seed));

  // dis_net and the judge: the picked run of that kind, else the newest.
  const classifier = (kind: 'trainDisNet' | 'trainJudge', id: string | undefined) => {
    const all = runs.flatMap((item) => (item.run.job.kind === kind ? [{ item, config: item.run.job.config }] : []));
    return id ? all.find((c) => c.item.run.id === id) : all[0];
  };
  const chosenDisNet = classifier('trainDisNet', picks.disNet);
  if (!chosenDisNet) missing.push({ part: 'disNet', message: 'Q2b: no finished dis_net.' });
  const disNet = chosenDisNet && {
    ...chosenDisNet,
    metrics: chosenDisNet.item.metrics.filter((m): m is DisNetEpoch => !isAutoencoderEpoch(m)),
    blurSamples: readRunDetails(chosenDisNet.item.dir).blurSamples,
  };
  const disNetItem = chosenDisNet?.item;

  const judge = classifier('trainJudge', picks.judge);
  if (!judge) missing.push({ part: 'judge', message: 'Q2b: no finished judge (the classifier of clear against blurred that scores (a) and (b)).' });

  const sharpened = pick(picks.q2b, autoencoders.filter((r) => r.run.job.config.adversarial && r.run.job.config.adversarial.disNetRunId === disNetItem?.run.id));
  const q2b: ReportInputs['q2b'] = [];
  for (const latent of REPORT_LATENTS) {
    for (const mode of SHARPEN_MODES) {
      const b = newestAnalysed(sharpened.filter((r) => r.run.job.config.adversarial?.mode === mode), latent);
      const initId = b?.item.run.job.config.adversarial?.initRunId;
      const initRun = initId ? byId.get(initId) : undefined;
      const a = initRun && isAutoencoder(initRun) ? analysed(initRun) : q2a.find((x) => x.analysis.latent === latent);
      if (b && a && disNetItem && judge) q2b.push({ latent, mode, a, b });
      else missing.push({ part: 'q2b', latent, mode, message: `Q2b: no finished sharpened autoencoder (b), ${mode}, with a ${latent}-D latent and its Q2a run.` });
    }
  }
  return { runsDir, completed: runs, q1, q2a, baseline, disNet, judge, q2b, missing };
}
