/** Runs one job in a new run folder, by its kind. Shared by the IPC engine and the CLI. */
import { JobSpec } from '../../shared/jobs/specs';
import { RunRecord } from '../../runs/schema';
import { JobContext } from './jobContext';
import { q1StudyJob } from './q1StudyJob';
import { trainAutoencoderJob } from './trainAutoencoderJob';
import { trainDisNetJob } from './trainDisNetJob';

/** Resolves with the finished run record; rejects (after marking the run failed) on errors. */
export async function runJob(job: JobSpec, ctx: JobContext): Promise<RunRecord> {
  switch (job.kind) {
    case 'trainAutoencoder':
      return trainAutoencoderJob(job.config, ctx);
    case 'q1Study':
      return q1StudyJob(job.params, ctx);
    case 'trainDisNet':
    case 'trainJudge':
      return trainDisNetJob(job, ctx);
  }
}
