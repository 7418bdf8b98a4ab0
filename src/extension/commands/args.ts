/** The arguments the palette commands take when called programmatically (tests, walkthrough links, other commands). */
import { z } from '../../shared/zod';
import { Q1LandscapeFields, Q1Optimizers } from '../../shared/q1/params';
import { AdversarialFields, AutoencoderConfig } from '../../shared/jobs/specs';

/** Arguments of the "Train Autoencoder" command when called programmatically (tests, walkthrough links). */
export const TrainAutoencoderArgs = AutoencoderConfig.omit({ latent: true })
  .partial()
  .extend({ latents: z.array(AutoencoderConfig.shape.latent).min(1).max(8) })
  .strict();
export type TrainAutoencoderArgs = z.infer<typeof TrainAutoencoderArgs>;

/** Arguments of the "Run Q1 Optimizer Study" command: any parameters to change from the defaults. */
export const RunQ1StudyArgs = z
  .object({ landscape: Q1LandscapeFields.partial(), optimizers: Q1Optimizers.partial() })
  .partial()
  .strict();
export type RunQ1StudyArgs = z.infer<typeof RunQ1StudyArgs>;

/** Arguments of "Train Sharpened Autoencoder" when called programmatically. */
export const TrainSharpenedArgs = TrainAutoencoderArgs.extend({
  /** Defaults to the mode's (DEFAULT_RECIPES); the alternating mode's other settings are its defaults. */
  lambda: AdversarialFields.shape.lambda.optional(),
  mode: AdversarialFields.shape.mode,
  /** 'q2a': start from the newest matching Q2a run; 'scratch': a fresh initialisation. */
  start: z.enum(['q2a', 'scratch']),
  /** Defaults to the newest completed dis_net run. */
  disNetRunId: AdversarialFields.shape.disNetRunId.optional(),
}).strict();
export type TrainSharpenedArgs = z.infer<typeof TrainSharpenedArgs>;

/** Arguments of "Export Report" when called programmatically: where the folder goes (default: the workspace). */
export const ExportReportArgs = z.object({ outDir: z.string().min(1) }).partial().strict();
export type ExportReportArgs = z.infer<typeof ExportReportArgs>;
