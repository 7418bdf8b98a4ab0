/** The Reconstructions side view's boundary: pick an autoencoder run, get its per-epoch reconstruction snapshots. */
import { z } from '../../../shared/zod';
import { RunDetails, RunStatus } from '../../../runs/schema';

export const ReconstructionsToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('selectRun'), runId: z.string().regex(/^[\w.-]+$/) }),
]);
export type ReconstructionsToHost = z.infer<typeof ReconstructionsToHost>;

export const HostToReconstructions = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('runs'),
    /** Autoencoder runs, newest first; `epochs` counts the finished ones. */
    runs: z.array(z.object({ id: z.string(), name: z.string(), status: RunStatus, epochs: z.number().int().min(0) })),
    /** The run the host is showing (or was asked to show); absent: the view picks one and says which. */
    selected: z.string().optional(),
  }),
  z.object({ type: z.literal('details'), details: RunDetails }),
]);
export type HostToReconstructions = z.infer<typeof HostToReconstructions>;
