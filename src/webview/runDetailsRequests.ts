/**
 * One tab's requests for run details. Each carries an id naming the tab, so the answer goes to the tab
 * that asked, and a run's details are taken only from the answer to its latest request: a late answer
 * to a superseded one never overwrites newer details.
 */
import { WebviewToHost } from '../extension/views/workbench/protocol';
import { RunDetails } from '../runs/schema';

export class RunDetailsRequests {
  private count = 0;
  /** Each run's latest request not yet answered. */
  private readonly latest = new Map<string, string>();

  constructor(
    private readonly tab: string,
    private readonly post: (message: WebviewToHost) => void,
  ) {}

  load(runIds: string[]): void {
    const requestId = `${this.tab}-${++this.count}`;
    for (const id of runIds) this.latest.set(id, requestId);
    this.post({ type: 'loadRunDetails', requestId, runIds });
  }

  /** The details in this answer that are still wanted; undefined when another tab asked for it. */
  take(answer: { requestId: string; details: RunDetails[] }): RunDetails[] | undefined {
    if (!answer.requestId.startsWith(`${this.tab}-`)) return undefined;
    const wanted = answer.details.filter((d) => this.latest.get(d.runId) === answer.requestId);
    for (const d of wanted) this.latest.delete(d.runId);
    return wanted;
  }
}
