/** What a check of the workbench's lab features gets from the end-to-end test that runs it. */
import type { Frame, Page } from 'playwright-core';

export interface LabContext {
  page: Page;
  /** The workbench page's document (inside the webview's frames). */
  frame: Frame;
  workspace: string;
  /** `<workspace>/.assignment2/runs`, seeded by the end-to-end test with a tiny Q2b for seeds 1 and 2. */
  runsDir: string;
  /** Where screenshots go (test-results/). */
  resultsDir: string;
  step(message: string): void;
  runFromPalette(title: string): Promise<void>;
}

export interface LabCheck {
  /** A short name: E2E_CHECKS=name1,name2 runs only these. */
  name: string;
  run(ctx: LabContext): Promise<void>;
}
