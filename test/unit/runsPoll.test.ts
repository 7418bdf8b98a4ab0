/** The extension's poll of the runs folder: what no file watcher reports is still seen within a poll. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { RunListItem } from '../../src/runs/schema';
import { currentOwner } from '../../src/runs/owner';
import { RunStore, readRun, readRunRecord } from '../../src/runs/store';
import { pollRuns } from '../../src/extension/runsPoll';
import { deadPid, runningRecord } from './fixtures/runningRuns';

const record = (id: string, pid: number) => runningRecord(id, { ...currentOwner(), pid });

const until = async (what: string, probe: () => boolean) => {
  for (const deadline = Date.now() + 5_000; !probe(); await new Promise((r) => setTimeout(r, 20))) if (Date.now() > deadline) throw new Error(`no ${what}`);
};

test('a folder that appears or goes without an event, and a running run whose owner died, are refreshed within a poll', async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-poll-'));
  const store = new RunStore(runsDir);
  // The list as a file watcher that missed everything left it: one live running run, read before the rest.
  const live = store.create(record('20261201-000000-disnet-live', process.pid));
  let listed: RunListItem[] = [readRun(live)];
  const refreshed: string[] = [];
  const poll = pollRuns(() => runsDir, { runs: () => listed, refreshRun: (dir) => refreshed.push(dir) }, 30);
  try {
    // A run written by another process: listed as soon as a poll sees its folder.
    const added = store.create(record('20261201-000001-disnet-cli', process.pid));
    await until('refresh of the new folder', () => refreshed.includes(added));
    listed = [...listed, readRun(added)];
    // Its process dies (its run.json still says running): the poll marks it interrupted on disk.
    const orphan = store.create(record('20261201-000002-disnet-dead', deadPid()));
    listed = [...listed, { ok: true, dir: orphan, run: readRunRecord(orphan), metrics: [] }];
    await until('refresh of the orphaned run', () => refreshed.includes(orphan));
    assert.equal(readRunRecord(orphan).status, 'interrupted');
    assert.equal(readRunRecord(live).status, 'running', 'a live owner keeps its run');
    // A folder deleted without an event is refreshed (and so dropped).
    fs.rmSync(added, { recursive: true });
    refreshed.length = 0;
    await until('refresh of the deleted folder', () => refreshed.includes(added));
    assert.ok(!refreshed.includes(live), 'listed folders that are still there and running live are not re-read');
  } finally {
    poll.dispose();
  }
});
