/**
 * Q2b's comparison as the engine makes it: each run's figures (from its analysis, and dis_net's and
 * the judge's scores of its reconstructions, kept in judged.json), then the verdict of shared/q2b,
 * stored with the (b) run in verdict.json. Whoever asks first (the q2b job, the report) computes it;
 * later readers find it on disk.
 */
import * as path from 'node:path';
import { BackendPreference } from '../../shared/backends';
import { SharpenMode } from '../../shared/jobs/specs';
import { lastCollapse } from '../../shared/q2a/collapse';
import { Q2bFigures, Q2bVerdict, judgeQ2b } from '../../shared/q2b/verdict';
import { JUDGED_FILE, VERDICT_FILE, readAnalysis, readJudged, readVerdict } from '../../runs/files';
import { JudgedScores } from '../../runs/schema';
import { readMetrics, writeFileAtomic } from '../../runs/store';
import { initBackend } from '../backend';
import { meanClearScore, runAutoencoder } from '../training/inference';
import { loadModel } from '../training/modelFiles';
import { mnist } from '../data/mnistCache';

/** The classifiers a comparison is scored by. */
export interface Scorers {
  disNetDir: string;
  judgeDir: string;
  testImages: number;
  backend: BackendPreference;
}

/** dis_net's and the judge's scores of a run's test reconstructions, from judged.json or computed and kept there. */
async function judgedScores(dir: string, scorers: Scorers): Promise<JudgedScores> {
  const { disNetDir, judgeDir, testImages } = scorers;
  const [disNetRunId, judgeRunId] = [path.basename(disNetDir), path.basename(judgeDir)];
  const kept = readJudged(dir);
  if (kept && kept.disNetRunId === disNetRunId && kept.judgeRunId === judgeRunId && kept.testImages === testImages) return kept;
  await initBackend(scorers.backend);
  const [model, disNet, judge] = await Promise.all([loadModel(dir), loadModel(disNetDir), loadModel(judgeDir)]);
  try {
    const test = mnist('test', testImages);
    const images = (await runAutoencoder(model, test.images, test.count, { images: true })).images!;
    const scores: JudgedScores = {
      testImages,
      disNetRunId,
      disNetClearScore: await meanClearScore(disNet, images, test.count),
      judgeRunId,
      judgeClearScore: await meanClearScore(judge, images, test.count),
    };
    writeFileAtomic(path.join(dir, JUDGED_FILE), JSON.stringify(scores, null, 2) + '\n');
    return scores;
  } finally {
    for (const m of [model, disNet, judge]) m.dispose();
  }
}

/** The figures of the comparison table for one (a) or (b) run. */
export async function figuresOf(dir: string, scorers: Scorers): Promise<Q2bFigures> {
  const analysis = readAnalysis(dir);
  if (!analysis) throw new Error(`${dir} has no analysis (was the run cancelled?).`);
  const scores = await judgedScores(dir, scorers);
  const { purity, nmi, ari, accuracy } = analysis.kmeans;
  return {
    runId: path.basename(dir),
    testL1: analysis.testL1,
    sharpness: analysis.sharpness.ratio,
    sharpnessDistance: Math.abs(1 - analysis.sharpness.ratio),
    disNetClearScore: scores.disNetClearScore,
    judgeClearScore: scores.judgeClearScore,
    kmeans: { purity, nmi, ari, accuracy },
    collapse: lastCollapse(readMetrics(dir)),
  };
}

/** (b)'s verdict against (a): the stored one if it was made with the same runs, else made and stored. */
export async function verdictFor(aDir: string, bDir: string, latent: number, mode: SharpenMode, scorers: Scorers): Promise<Q2bVerdict> {
  const [disNetRunId, judgeRunId] = [path.basename(scorers.disNetDir), path.basename(scorers.judgeDir)];
  const kept = readVerdict(bDir);
  if (kept && kept.a.runId === path.basename(aDir) && kept.disNetRunId === disNetRunId && kept.judgeRunId === judgeRunId && kept.testImages === scorers.testImages) return kept;
  const verdict = judgeQ2b({ latent, mode, disNetRunId, judgeRunId, testImages: scorers.testImages, a: await figuresOf(aDir, scorers), b: await figuresOf(bDir, scorers) });
  writeFileAtomic(path.join(bDir, VERDICT_FILE), JSON.stringify(verdict, null, 2) + '\n');
  return verdict;
}
