/**
 * How long the latent explorer takes on this machine: loading a run's model, one decoded point and a
 * 20×20 manifold, on a tiny freshly trained L=2 run (the decoder's cost does not depend on training).
 *   npm run bench:explore     (the figures, then one line of JSON)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runJob } from '../src/engine/jobs/runJob';
import { explore } from '../src/engine/explore/explore';

async function main(): Promise<void> {
  const runsDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-explore-')), 'runs');
  const config = { architecture: 'dense' as const, latent: 2, epochs: 1, batchSize: 64, learningRate: 3e-3, warmupSteps: 0, outputInit: 'meanImage' as const, trainImages: 256, testImages: 100, seed: 1 };
  const run = await runJob({ kind: 'trainAutoencoder', config }, { jobId: 'bench', runsDir, backend: 'auto', signal: new AbortController().signal, emit: () => undefined });
  const figures: Record<string, { firstMs: number; medianMs: number; repeats: number }> = {};
  const time = async (label: string, repeats: number, query: Parameters<typeof explore>[2]) => {
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      await explore(runsDir, run.id, query, 'auto');
      times.push(performance.now() - start);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    figures[query.kind] = { firstMs: times[0], medianMs: median, repeats };
    console.log(`${label}: first ${times[0].toFixed(1)} ms, median ${median.toFixed(1)} ms over ${repeats}`);
  };
  await time('reconstruct one test image (loads the model on the first call)', 1, { kind: 'reconstruct', index: 0 });
  await time('decode one point', 20, { kind: 'decode', codes: [[0.5, -0.5]] });
  await time('20×20 manifold', 10, { kind: 'manifold', n: 20, x: [-3, 3], y: [-3, 3] });
  await time('interpolation (10 steps)', 10, { kind: 'interpolate', from: 1, to: 2 });
  fs.rmSync(path.dirname(runsDir), { recursive: true, force: true });
  console.log(JSON.stringify({ explore: figures }));
}

void main();
