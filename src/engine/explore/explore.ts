/**
 * The latent explorer's answers: codes decoded by a run's decoder, a 2-D manifold, the interpolation
 * between two test images' codes, and a test image beside its reconstruction. Each is one small tfjs
 * batch (at most MAX_CODES codes), run beside any training job without waiting for it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendPreference } from '../../shared/backends';
import { ExploreQuery, ExploreResult, INTERPOLATION_STEPS, manifoldCodes } from '../../shared/explore';
import { toBytes } from '../analysis/analyseAutoencoder';
import { IMAGE_SIZE } from '../data/mnist';
import { decode, encode, reconstruct } from '../training/autoencoderModel';
import { ExploreRefused, ExplorerModel, explorerModel } from './explorerModels';

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** Runs `f` on tensors inside tf.tidy and reads its result out as a flat array. */
async function read(f: () => tf.Tensor): Promise<Float32Array> {
  const out = tf.tidy(f);
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

function decoded(m: ExplorerModel, codes: number[][]): Promise<Float32Array> {
  return read(() => decode(m.model, tf.tensor2d(codes.flat(), [codes.length, m.latent])));
}

function testImage(m: ExplorerModel, index: number): Float32Array {
  if (index >= m.test.count) throw new ExploreRefused(`Run ${m.runId} was analysed on test images #0–#${m.test.count - 1}; there is no #${index}.`);
  return m.test.images.subarray(index * IMAGE_SIZE, (index + 1) * IMAGE_SIZE);
}

async function codesOf(m: ExplorerModel, indices: number[]): Promise<number[][]> {
  const images = indices.map((i) => testImage(m, i));
  const flat = await read(() => encode(m.model, tf.tensor2d(Float32Array.from(images.flatMap((x) => Array.from(x))), [images.length, IMAGE_SIZE])));
  return indices.map((_, k) => Array.from(flat.subarray(k * m.latent, (k + 1) * m.latent)));
}

/** The images and codes a query asks for, from run `runId`'s decoder. */
export async function explore(runsDir: string, runId: string, query: ExploreQuery, backend: BackendPreference): Promise<ExploreResult> {
  const m = await explorerModel(runsDir, runId, backend);
  const answer = (images: Float32Array, codes: number[][]): ExploreResult => ({ images: base64(toBytes(images)), count: images.length / IMAGE_SIZE, codes, latent: m.latent });
  switch (query.kind) {
    case 'decode': {
      const wrong = query.codes.find((code) => code.length !== m.latent);
      if (wrong) throw new ExploreRefused(`Run ${runId} has a ${m.latent}-D latent; a ${wrong.length}-D code cannot be decoded by it.`);
      return answer(await decoded(m, query.codes), query.codes);
    }
    case 'manifold': {
      if (m.latent !== 2) throw new ExploreRefused(`Run ${runId} has a ${m.latent}-D latent: a manifold over the latent plane needs a 2-D one.`);
      const codes = manifoldCodes(query.n, query.x, query.y);
      return answer(await decoded(m, codes), codes);
    }
    case 'interpolate': {
      const [from, to] = await codesOf(m, [query.from, query.to]);
      const codes = Array.from({ length: INTERPOLATION_STEPS }, (_, k) => {
        const t = k / (INTERPOLATION_STEPS - 1);
        return from.map((a, d) => a + t * (to[d] - a));
      });
      // The endpoints are the test images' own codes, not a blend that rounds near them.
      codes[0] = from;
      codes[INTERPOLATION_STEPS - 1] = to;
      return answer(await decoded(m, codes), codes);
    }
    case 'reconstruct': {
      const original = testImage(m, query.index);
      const [code] = await codesOf(m, [query.index]);
      const rebuilt = await read(() => reconstruct(m.model, tf.tensor2d(original, [1, IMAGE_SIZE])));
      const both = new Float32Array(2 * IMAGE_SIZE);
      both.set(original);
      both.set(rebuilt, IMAGE_SIZE);
      return answer(both, [code]);
    }
  }
}
