import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReconstructionsToHost } from '../../src/extension/views/reconstructions/protocol';
import { WebviewToHost } from '../../src/extension/views/workbench/protocol';
import { DEFAULT_Q1_PARAMS } from '../../src/shared/q1/study';
import { dispatchMessage } from '../../src/extension/views/webviewMessages';
import { malformed, seededRng } from '../harness/fuzz';

/** Handlers that count their calls; none may be called for a malformed message. */
function spies<K extends string>(types: K[]) {
  const calls: Record<string, unknown[]> = Object.fromEntries(types.map((t) => [t, []]));
  // Each handler only records what it got, so one signature serves every message type.
  const handlers = Object.fromEntries(types.map((t) => [t, (m: unknown) => void calls[t].push(m)])) as Record<K, (m: unknown) => void>;
  return { calls, handlers };
}

// Messages a compromised or buggy webview could send that look almost right.
const HOSTILE = [
  { type: 'runCommand', command: 'workbench.action.terminal.new' },
  { type: 'runCommand', command: 'assignment2.deleteRun' },
  { type: 'loadRunDetails', requestId: 'q2a-1', runIds: ['../../../etc'] },
  { type: 'loadRunDetails', requestId: 'q2a-1', runIds: ['/tmp/x'] },
  { type: 'loadRunDetails', requestId: 'q2a-1', runIds: Array.from({ length: 65 }, (_, i) => `run-${i}`) },
  // A details request must say which request it is, in a short id of plain characters.
  { type: 'loadRunDetails', runIds: ['20261127-000000-ae2-abcd'] },
  { type: 'loadRunDetails', requestId: '', runIds: [] },
  { type: 'loadRunDetails', requestId: 'x'.repeat(65), runIds: [] },
  { type: 'loadRunDetails', requestId: '<img src=x onerror=alert(1)>', runIds: [] },
  { type: 'loadRunDetails', requestId: 7, runIds: [] },
  { type: 'saveQ1Study', params: { ...DEFAULT_Q1_PARAMS, landscape: { ...DEFAULT_Q1_PARAMS.landscape, h: -1 } } },
  { type: 'saveQ1Study', params: { ...DEFAULT_Q1_PARAMS, optimizers: { ...DEFAULT_Q1_PARAMS.optimizers, steps: 1e12 } } },
  // A chart is saved under a plain name, as a PNG data URL or as CSV text, of bounded size.
  { type: 'saveChart', name: '../../.bashrc', file: { kind: 'csv', text: 'a,b' } },
  { type: 'saveChart', name: 'q2a-loss', file: { kind: 'html', text: '<script>' } },
  { type: 'saveChart', name: 'q2a-loss', file: { kind: 'png', dataUrl: 'data:text/html;base64,PHNjcmlwdD4=' } },
  { type: 'saveChart', name: 'q2a-loss', file: { kind: 'csv', text: 'x'.repeat(16_000_001) } },
  { type: 'selectRun', runId: '../other', requestId: 'select-1' },
];

const HOSTILE_RECONSTRUCTIONS = [
  HOSTILE.at(-1),
  { type: 'selectRun', runId: '20261127-000000-ae2-abcd' },
  { type: 'selectRun', runId: '20261127-000000-ae2-abcd', requestId: 'x'.repeat(65) },
  { type: 'selectRun', runId: '20261127-000000-ae2-abcd', requestId: '../../etc' },
];

test('10,000 malformed messages from the workbench webview reach no handler and do not throw', () => {
  const { calls, handlers } = spies(['ready', 'runCommand', 'saveQ1Study', 'loadRunDetails', 'explore', 'saveChart']);
  const valid = [
    { type: 'ready' },
    { type: 'runCommand', command: 'assignment2.trainAutoencoder' },
    { type: 'saveQ1Study', params: DEFAULT_Q1_PARAMS },
    { type: 'loadRunDetails', requestId: 'compare-12', runIds: ['20261127-000000-ae2-abcd'] },
    { type: 'explore', requestId: 'explore-3', runId: '20261127-000000-ae2-abcd', query: { kind: 'manifold', n: 20, x: [-2, 2], y: [-1, 3] } },
    { type: 'saveChart', name: 'compare-test-l1', file: { kind: 'csv', text: 'series,epoch,test L1,test L1 (smoothed)\n' } },
  ];
  const rng = seededRng(7);
  let dropped = 0;
  let sent = 0;
  for (const message of HOSTILE) {
    assert.equal(dispatchMessage(WebviewToHost, message, handlers, () => dropped++), false, JSON.stringify(message).slice(0, 80));
    sent++;
  }
  while (sent < 10_000) {
    const message = malformed(valid, rng);
    if (WebviewToHost.safeParse(message).success) continue;
    assert.equal(dispatchMessage(WebviewToHost, message, handlers, () => dropped++), false);
    sent++;
  }
  assert.equal(dropped, sent);
  assert.deepEqual(Object.values(calls).map((c) => c.length), [0, 0, 0, 0, 0, 0]);
  // ... and the valid ones are handled, each by its own handler.
  for (const message of valid) assert.equal(dispatchMessage(WebviewToHost, message, handlers, () => dropped++), true);
  assert.deepEqual(Object.values(calls).map((c) => c.length), [1, 1, 1, 1, 1, 1]);
});

test('10,000 malformed messages from the Reconstructions view reach no handler and do not throw', () => {
  const { calls, handlers } = spies(['ready', 'selectRun']);
  const valid = [{ type: 'ready' }, { type: 'selectRun', runId: '20261127-000000-ae2-abcd', requestId: 'select-3' }];
  const rng = seededRng(8);
  let dropped = 0;
  let sent = 0;
  while (sent < 10_000) {
    const message = malformed(valid, rng);
    if (ReconstructionsToHost.safeParse(message).success) continue;
    dispatchMessage(ReconstructionsToHost, message, handlers, () => dropped++);
    sent++;
  }
  for (const message of HOSTILE_RECONSTRUCTIONS) assert.equal(dispatchMessage(ReconstructionsToHost, message, handlers, () => dropped++), false, JSON.stringify(message));
  assert.equal(dropped, sent + HOSTILE_RECONSTRUCTIONS.length);
  assert.deepEqual([calls.ready.length, calls.selectRun.length], [0, 0]);
  for (const message of valid) assert.equal(dispatchMessage(ReconstructionsToHost, message, handlers, () => dropped++), true);
  assert.deepEqual([calls.ready.length, calls.selectRun.length], [1, 1]);
});
