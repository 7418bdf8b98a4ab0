/**
 * checkpoint.bin: everything a run needs to continue after its last finished epoch exactly as if it had
 * never stopped: the epoch, the training step (the warm-up depends on it), the data order's random
 * state, and the parameters, Adam moments and Adam step count of every network that training updates.
 *
 * Layout: the 8 bytes "A2CKPT1\n", the header's length (uint32, little-endian), the header (JSON),
 * zero padding to a multiple of 4 bytes, then float32 values (little-endian): per network its
 * parameters, then their first moments, then their second moments, each tensor in turn. The header
 * holds the data's SHA-256, so a damaged file is refused instead of resumed from.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z, finite } from '../shared/zod';
import { writeFileAtomic } from './store';

export const CHECKPOINT_FILE = 'checkpoint.bin';

const MAGIC = Buffer.from('A2CKPT1\n', 'latin1');

/** One network's trained state, parameters in the graphs' layout (see engine/graphs/network). */
export interface NetworkState {
  params: Float32Array[];
  m: Float32Array[];
  v: Float32Array[];
  /** Adam steps taken (its bias correction). */
  steps: number;
  /** tfjs's running β1^t and β2^t, kept as it computed them: recomputing them differs in the last bits. */
  accBeta?: [number, number];
}

/** `networks`: by name, e.g. autoencoder, dis_net (Q2b's alternating mode), classifier. */
export interface TrainingCheckpoint {
  epoch: number;
  step: number;
  rng: number;
  networks: Record<string, NetworkState>;
}

const CheckpointHeader = z.object({
  epoch: z.number().int().min(1),
  step: z.number().int().min(0),
  rng: z.number().int().min(0).max(0xffffffff),
  networks: z.array(
    z.object({
      name: z.string().min(1),
      steps: z.number().int().min(0),
      accBeta: z.tuple([finite(), finite()]).optional(),
      /** Values per parameter tensor; its moments have the same. */
      sizes: z.array(z.number().int().min(0)),
    }),
  ),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
type CheckpointHeader = z.infer<typeof CheckpointHeader>;

const padTo4 = (n: number) => (n + 3) & ~3;

export function writeCheckpoint(dir: string, checkpoint: TrainingCheckpoint): void {
  const tensors = Object.values(checkpoint.networks).flatMap((n) => [...n.params, ...n.m, ...n.v]);
  const data = Buffer.alloc(4 * tensors.reduce((s, t) => s + t.length, 0));
  let at = 0;
  for (const t of tensors) {
    Buffer.from(t.buffer, t.byteOffset, t.byteLength).copy(data, at);
    at += t.byteLength;
  }
  const header: CheckpointHeader = {
    epoch: checkpoint.epoch,
    step: checkpoint.step,
    rng: checkpoint.rng,
    networks: Object.entries(checkpoint.networks).map(([name, n]) => ({ name, steps: n.steps, ...(n.accBeta ? { accBeta: n.accBeta } : {}), sizes: n.params.map((p) => p.length) })),
    sha256: createHash('sha256').update(data).digest('hex'),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = padTo4(MAGIC.length + 4 + json.length);
  const file = Buffer.alloc(start + data.length);
  MAGIC.copy(file, 0);
  file.writeUInt32LE(json.length, MAGIC.length);
  json.copy(file, MAGIC.length + 4);
  data.copy(file, start);
  writeFileAtomic(path.join(dir, CHECKPOINT_FILE), file);
}

/** A completed run has nothing to resume: its checkpoint (several times the model's size) goes. */
export function removeCheckpoint(dir: string): void {
  fs.rmSync(path.join(dir, CHECKPOINT_FILE), { force: true });
}

class DamagedCheckpointError extends Error {
  constructor(file: string, why: string) {
    super(`The checkpoint ${file} is damaged (${why}); the run cannot resume from it.`);
  }
}

/** The run's checkpoint, or undefined if it has none (it stopped before its first epoch ended). */
export function readCheckpoint(dir: string): TrainingCheckpoint | undefined {
  const file = path.join(dir, CHECKPOINT_FILE);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`The checkpoint ${file} cannot be read: ${(err as Error).message}`);
  }
  const damaged = (why: string) => new DamagedCheckpointError(file, why);
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw damaged('it does not start like a checkpoint');
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const start = padTo4(MAGIC.length + 4 + headerLength);
  if (start > bytes.length) throw damaged('it ends inside its header');
  let json: unknown;
  try {
    json = JSON.parse(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength).toString('utf8'));
  } catch {
    throw damaged('its header is not valid JSON');
  }
  const parsed = CheckpointHeader.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw damaged(`header: ${issue.path.join('.') || 'root'}: ${issue.message}`);
  }
  const header = parsed.data;
  const values = header.networks.reduce((s, n) => s + 3 * n.sizes.reduce((a, b) => a + b, 0), 0);
  const data = bytes.subarray(start);
  if (data.length !== 4 * values) throw damaged(`it holds ${data.length} bytes of values where its header needs ${4 * values}`);
  if (createHash('sha256').update(data).digest('hex') !== header.sha256) throw damaged('its values do not match their checksum');
  // A copy, so the floats are aligned and independent of the file's buffer.
  const floats = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
  let at = 0;
  const take = (sizes: number[]) => sizes.map((n) => floats.subarray(at, (at += n)));
  const networks: Record<string, NetworkState> = {};
  for (const n of header.networks) {
    networks[n.name] = { params: take(n.sizes), m: take(n.sizes), v: take(n.sizes), steps: n.steps, ...(n.accBeta ? { accBeta: n.accBeta } : {}) };
  }
  return { epoch: header.epoch, step: header.step, rng: header.rng, networks };
}

/** The state of the network named `name`, checked against the sizes of the network it goes into. */
export function networkState(checkpoint: TrainingCheckpoint, name: string, sizes: number[]): NetworkState {
  const state = checkpoint.networks[name];
  if (!state) throw new Error(`The checkpoint holds no state for ${name} (it holds ${Object.keys(checkpoint.networks).join(', ') || 'none'}).`);
  const found = state.params.map((p) => p.length);
  if (found.length !== sizes.length || found.some((n, i) => n !== sizes[i])) {
    throw new Error(`The checkpoint's ${name} has parameter tensors of [${found.join(', ')}] values; this run's ${name} has [${sizes.join(', ')}].`);
  }
  return state;
}
