/** dis_net's or the judge's run: the same training on clear against blurred, with their own architectures. */
import { JobSpec } from '../../shared/jobs/specs';
import { RunRecord } from '../../runs/schema';
import { writeCheckpoint } from '../../runs/checkpoints';
import { appendMetrics } from '../../runs/store';
import { StepLog } from '../../runs/stepLog';
import { initBackend } from '../backend';
import { mnist } from '../data/mnistCache';
import { buildDisNet, buildJudge, trainDisNet } from '../training/disNet';
import { saveModel } from '../training/modelFiles';
import { writeBlurSamples } from './artefacts';
import { JobContext, progressOf } from './jobContext';
import { ResumePoint, inRun, reopenRun, startRun } from './runLifecycle';

export async function trainDisNetJob(job: Extract<JobSpec, { kind: 'trainDisNet' | 'trainJudge' }>, ctx: JobContext, resume?: ResumePoint): Promise<RunRecord> {
  const { config } = job;
  const backend = await initBackend(ctx.backend);
  const train = mnist('train', config.trainImages);
  const test = mnist('test', config.testImages);
  const judge = job.kind === 'trainJudge';
  const run = resume ? reopenRun(ctx, resume.dir, backend) : startRun(ctx, job, judge ? 'judge' : 'disnet', `${judge ? 'judge' : 'dis_net'} σ=${config.blur.sigma}`, config.seed, backend);
  return inRun(ctx, run, async () => {
    if (!resume) await writeBlurSamples(run.dir, test, config);
    const steps = new StepLog(run.dir, resume?.elapsed);
    const result = await trainDisNet(config, train, test, {
      signal: ctx.signal,
      onBatch: progressOf(ctx, config.epochs),
      onStep: (step) => steps.add(step),
      onEpoch: (metrics) => {
        steps.flush();
        appendMetrics(run.dir, metrics);
        ctx.emit({ type: 'epoch', jobId: ctx.jobId, runId: run.id, metrics });
      },
      // After the epoch's metrics, so that a checkpoint never runs ahead of them.
      onCheckpoint: (checkpoint) => writeCheckpoint(run.dir, checkpoint),
    }, judge ? buildJudge : buildDisNet, resume?.checkpoint).finally(() => steps.flush());
    try {
      await saveModel(result.model, run.dir);
      return result;
    } finally {
      result.model.dispose();
    }
  });
}
