/** The workbench panel's boundary: messages between the extension host and its webview, and the state it keeps. */
import { z, finite } from '../../../shared/zod';
import { BackendInfo } from '../../../shared/backends';
import { Q1Params } from '../../../shared/q1/params';
import { PixelBaseline, RunDetails, RunListItem } from '../../../runs/schema';
import { RequestId } from '../requestId';

// Host <-> webview

export const WORKBENCH_TABS = ['q1', 'q2a', 'q2b', 'compare'] as const;
export const WorkbenchTab = z.enum(WORKBENCH_TABS);
export type WorkbenchTab = z.infer<typeof WorkbenchTab>;

/** Commands the webview may ask the host to run: an allow-list, never an arbitrary id. */
export const WEBVIEW_COMMANDS = [
  'assignment2.trainAutoencoder',
  'assignment2.trainDisNet',
  'assignment2.trainSharpened',
  'assignment2.runQ1Study',
  'assignment2.exportReport',
  'assignment2.cancelJob',
  'assignment2.showBackendInfo',
  'assignment2.refreshRuns',
] as const;
export const WebviewCommand = z.enum(WEBVIEW_COMMANDS);
export type WebviewCommand = z.infer<typeof WebviewCommand>;

export const ActiveJob = z.object({
  jobId: z.string(),
  runId: z.string().optional(),
  label: z.string(),
  epoch: z.number().int().min(0),
  epochs: z.number().int().min(1),
  batch: z.number().int().min(0),
  batches: z.number().int().min(1),
  loss: finite().optional(),
});
export type ActiveJob = z.infer<typeof ActiveJob>;

export const WorkbenchSnapshot = z.object({
  runs: z.array(RunListItem),
  backend: BackendInfo.optional(),
  job: ActiveJob.optional(),
});
export type WorkbenchSnapshot = z.infer<typeof WorkbenchSnapshot>;

export const HostToWebview = z.discriminatedUnion('type', [
  /** Everything: on 'ready' and after a full re-read of the runs folder. */
  z.object({ type: z.literal('snapshot'), snapshot: WorkbenchSnapshot }),
  /** One run, new or re-read: it replaces the run of the same folder, or goes in newest first. */
  z.object({ type: z.literal('run'), item: RunListItem }),
  /** The run of this folder is gone. */
  z.object({ type: z.literal('runRemoved'), dir: z.string() }),
  z.object({ type: z.literal('job'), job: ActiveJob.nullable() }),
  z.object({ type: z.literal('showTab'), tab: WorkbenchTab }),
  /** The answer to the 'loadRunDetails' of the same requestId. */
  z.object({ type: z.literal('runDetails'), requestId: RequestId, details: z.array(RunDetails), baseline: PixelBaseline.optional() }),
]);
export type HostToWebview = z.infer<typeof HostToWebview>;
export type RunDetailsAnswer = Extract<HostToWebview, { type: 'runDetails' }>;

export const WebviewToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('runCommand'), command: WebviewCommand }),
  /** Save the parameters edited in the Q1 tab as a new study run. */
  z.object({ type: z.literal('saveQ1Study'), params: Q1Params }),
  /** Read the analysis, points and reconstructions of these runs (answered with 'runDetails'). */
  z.object({ type: z.literal('loadRunDetails'), requestId: RequestId, runIds: z.array(z.string().regex(/^[\w.-]+$/)).max(64) }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;

/**
 * State the page keeps with setState: VS Code holds it across reloads and while the panel is hidden,
 * so every choice a student makes in the page is kept here. Each field is optional and restored alone.
 */
export const WebviewState = z.object({
  tab: WorkbenchTab.optional(),
});
export type WebviewState = z.infer<typeof WebviewState>;
