/**
 * The figures of a configuration over every seed it was run with: mean, standard deviation and range,
 * from the finished runs on disk. Runs count as seeds of one configuration when their configurations
 * differ only in the seed (and, for (b), in the ids of the runs it was built on).
 */
import { AutoencoderConfig } from '../shared/jobs/specs';
import { Q2aSeedRow, Q2bSeedRow, RunListItem, Spread } from './schema';
import { lastCollapse } from '../shared/q2a/collapse';
import { readAnalysis, readJudged } from './files';

export function spread(values: number[]): Spread {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd, min: Math.min(...values), max: Math.max(...values) };
}

type Autoencoder = Extract<RunListItem, { ok: true }> & { run: { job: { kind: 'trainAutoencoder' } } };

/** The configuration without what varies between seeds of one experiment. */
function withoutSeed(config: AutoencoderConfig): string {
  const { seed: _, adversarial, ...rest } = config;
  if (!adversarial) return JSON.stringify(rest);
  const { disNetRunId: _dis, initRunId, ...recipe } = adversarial;
  return JSON.stringify({ ...rest, adversarial: { ...recipe, fromQ2a: initRunId !== undefined } });
}

function completedAutoencoders(items: RunListItem[]): Autoencoder[] {
  return items.filter((i): i is Autoencoder => i.ok && i.run.status === 'completed' && i.run.job.kind === 'trainAutoencoder');
}

/** The newest finished run of each seed whose configuration matches `config` but for the seed. */
function bySeed(runs: Autoencoder[], config: AutoencoderConfig): Autoencoder[] {
  const key = withoutSeed(config);
  const seen = new Set<number>();
  return runs.filter(({ run: { job } }) => {
    if (withoutSeed(job.config) !== key || seen.has(job.config.seed)) return false;
    seen.add(job.config.seed);
    return true;
  });
}

const collapsed = (r: Autoencoder) => (lastCollapse(r.metrics) ? 1 : 0);

/** Q2a over seeds: one row per latent size of `configs`, from its analysed runs. */
export function q2aSeeds(items: RunListItem[], configs: AutoencoderConfig[]): Q2aSeedRow[] {
  const runs = completedAutoencoders(items);
  return configs.flatMap((config) => {
    const seeds = bySeed(runs, config).flatMap((r) => {
      const analysis = readAnalysis(r.dir);
      return analysis ? [{ r, analysis }] : [];
    });
    if (!seeds.length) return [];
    return [{
      latent: config.latent,
      seeds: seeds.map(({ r }) => r.run.job.config.seed).sort((a, b) => a - b),
      testL1: spread(seeds.map(({ analysis }) => analysis.testL1)),
      kmeansAccuracy: spread(seeds.map(({ analysis }) => analysis.kmeans.accuracy)),
      kmeansNmi: spread(seeds.map(({ analysis }) => analysis.kmeans.nmi)),
      collapsed: seeds.reduce((n, { r }) => n + collapsed(r), 0),
    }];
  });
}

/**
 * Q2b over seeds: for each (b) configuration, the seeds whose (b) and the (a) it started from were
 * both judged (judged.json, by the same judge), as a (b) row, after an (a) row for the first (b) of
 * each latent size.
 */
export function q2bSeeds(items: RunListItem[], bConfigs: AutoencoderConfig[]): Q2bSeedRow[] {
  const runs = completedAutoencoders(items);
  const byId = new Map(runs.map((r) => [r.run.id, r]));
  const latentsWithA = new Set<number>();
  return bConfigs.flatMap((config) => {
    const pairs = bySeed(runs, config).flatMap((b) => {
      const a = byId.get(b.run.job.config.adversarial?.initRunId ?? '');
      const [ja, jb] = [a && readJudged(a.dir), readJudged(b.dir)];
      const [aa, ab] = [a && readAnalysis(a.dir), readAnalysis(b.dir)];
      return a && ja && jb && aa && ab && ja.judgeRunId === jb.judgeRunId ? [{ seed: b.run.job.config.seed, a: { r: a, judged: ja, analysis: aa }, b: { r: b, judged: jb, analysis: ab } }] : [];
    });
    if (!pairs.length) return [];
    const seeds = pairs.map((p) => p.seed).sort((x, y) => x - y);
    const sides = latentsWithA.has(config.latent) ? (['b'] as const) : (['a', 'b'] as const);
    latentsWithA.add(config.latent);
    return sides.map((side): Q2bSeedRow => ({
      latent: config.latent,
      model: side === 'a' ? '(a)' : config.adversarial?.mode === 'alternating' ? '(b) alternating' : '(b) frozen',
      seeds,
      testL1: spread(pairs.map((p) => p[side].analysis.testL1)),
      sharpnessDistance: spread(pairs.map((p) => Math.abs(1 - p[side].analysis.sharpness.ratio))),
      judgeClearScore: spread(pairs.map((p) => p[side].judged.judgeClearScore)),
      collapsed: pairs.reduce((n, p) => n + collapsed(p[side].r), 0),
    }));
  });
}
