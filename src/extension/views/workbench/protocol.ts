/** The workbench panel's boundary: messages between the extension host and its webview, and the state it keeps. */
import { z, finite } from '../../../shared/zod';
import { BackendInfo } from '../../../shared/backends';
import { Q1Params } from '../../../shared/q1/params';
import { PixelBaseline, RunDetails, RunListItem } from '../../../runs/schema';
import { RequestId } from '../requestId';
import { ExploreQuery, ExploreResult } from '../../../shared/explore';
import { CurveChoices } from '../../../shared/charts/curves';

// Host <-> webview

/** A run's id as the page names it: looked up among the listed runs, never used as a path. */
const RunId = z.string().regex(/^[\w.-]+$/).max(200);

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
  /** The answer to the 'explore' of the same requestId: the decoded images, or why there are none. */
  z.object({
    type: z.literal('explored'),
    requestId: RequestId,
    answer: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), result: ExploreResult }), z.object({ ok: z.literal(false), error: z.string() })]),
  }),
]);
export type HostToWebview = z.infer<typeof HostToWebview>;
export type RunDetailsAnswer = Extract<HostToWebview, { type: 'runDetails' }>;
export type ExploredAnswer = Extract<HostToWebview, { type: 'explored' }>;

/** A chart's PNG (as the canvas encodes it) or CSV text; bounded, as a canvas of a few megapixels needs no more. */
const MAX_CHART_FILE = 16_000_000;
export const ChartFile = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('png'), dataUrl: z.string().max(MAX_CHART_FILE).regex(/^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/) }),
  z.object({ kind: z.literal('csv'), text: z.string().max(MAX_CHART_FILE) }),
]);
export type ChartFile = z.infer<typeof ChartFile>;

export const WebviewToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('runCommand'), command: WebviewCommand }),
  /** Save the parameters edited in the Q1 tab as a new study run. */
  z.object({ type: z.literal('saveQ1Study'), params: Q1Params }),
  /** Read the analysis, points and reconstructions of these runs (answered with 'runDetails'). */
  z.object({ type: z.literal('loadRunDetails'), requestId: RequestId, runIds: z.array(RunId).max(64) }),
  /** The latent explorer: decode with this listed run's model (answered with 'explored'). */
  z.object({ type: z.literal('explore'), requestId: RequestId, runId: RunId, query: ExploreQuery }),
  /** Save a chart: the host asks where (offering `name` with the kind's extension) and writes the file. */
  z.object({ type: z.literal('saveChart'), name: z.string().regex(/^[\w-]{1,80}$/), file: ChartFile }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;

/** One runs table's arrangement: its sort, filter, chosen columns and pinned baseline run. */
export const RunsTableState = z.object({
  sort: z.object({ column: z.string().max(64), direction: z.enum(['ascending', 'descending']) }).optional(),
  filter: z.string().max(200).optional(),
  columns: z.array(z.string().max(64)).max(100).optional(),
  baseline: RunId.optional(),
});
export type RunsTableState = z.infer<typeof RunsTableState>;

/**
 * State the page keeps with setState: VS Code holds it across reloads and while the panel is hidden,
 * so every choice a student makes in the page is kept here. Each field is optional and restored alone.
 */
export const WebviewState = z.object({
  tab: WorkbenchTab.optional(),
  q2aRunsTable: RunsTableState.optional(),
  disNetRunsTable: RunsTableState.optional(),
  sharpenedRunsTable: RunsTableState.optional(),
  /** The runs ticked for Q2a's charts, once the student ticks any. */
  q2aShown: z.array(RunId).max(500).optional(),
  /** Compare's (a) and (b). */
  comparePicks: z.tuple([RunId, RunId]).optional(),
  /** The Q1 form as typed (a field being edited may not parse yet), kept once the student edits it. */
  q1Form: z.object({ fields: z.record(z.string().max(64), z.string().max(64)), reading: z.string().max(64) }).optional(),
  /** The latent explorer's run and its two picked test digits. */
  latentExplorer: z.object({ runId: RunId.optional(), from: z.number().int().min(0).max(9999).optional(), to: z.number().int().min(0).max(9999).optional() }).optional(),
  /** Each curve chart's smoothing, x-axis and scale, by the chart's key (see webview/curveChart.ts). */
  charts: z.record(z.string().max(64), CurveChoices).optional(),
});
export type WebviewState = z.infer<typeof WebviewState>;
