/** The Reconstructions side view's boundary: pick an autoencoder run, get its per-epoch reconstruction snapshots. */
import { z } from '../../../shared/zod';
import { RunDetails, RunStatus } from '../../../runs/schema';
import { RequestId } from '../requestId';

export const ReconstructionsToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** Show this run: answered with 'details' under the same requestId, again whenever its snapshots change. */
  z.object({ type: z.literal('selectRun'), runId: z.string().regex(/^[\w.-]+$/), requestId: RequestId }),
]);
export type ReconstructionsToHost = z.infer<typeof ReconstructionsToHost>;

/** An autoencoder run in the picker; `epochs` counts the finished ones. */
export const ReconstructionsRun = z.object({ id: z.string(), name: z.string(), status: RunStatus, epochs: z.number().int().min(0) });
export type ReconstructionsRun = z.infer<typeof ReconstructionsRun>;

export const HostToReconstructions = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('runs'),
    /** Autoencoder runs, newest first. */
    runs: z.array(ReconstructionsRun),
    /** The run the host is showing (or was asked to show); absent: the view picks one and says which. */
    selected: z.string().optional(),
  }),
  /** One run, new or changed: it replaces the entry with its id, or goes in newest first. */
  z.object({ type: z.literal('run'), run: ReconstructionsRun }),
  /** This run is gone (or no longer an autoencoder run that can be read). */
  z.object({ type: z.literal('runRemoved'), id: z.string() }),
  z.object({ type: z.literal('details'), requestId: RequestId, details: RunDetails }),
]);
export type HostToReconstructions = z.infer<typeof HostToReconstructions>;
