import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebviewToHost } from '../../src/extension/views/workbench/protocol';
import { RunDetailsRequests } from '../../src/webview/runDetailsRequests';

const detailsOf = (...runIds: string[]) => runIds.map((runId) => ({ runId, problems: [] }));

function tab(name: string) {
  const sent: Extract<WebviewToHost, { type: 'loadRunDetails' }>[] = [];
  const requests = new RunDetailsRequests(name, (message) => message.type === 'loadRunDetails' && sent.push(message));
  return { requests, sent, answer: (i: number, ...runIds: string[]) => ({ requestId: sent[i].requestId, details: detailsOf(...runIds) }) };
}

test('every request has its own id, valid under the protocol, and an answer goes only to the tab that asked', () => {
  const q2a = tab('q2a');
  const compare = tab('compare');
  q2a.requests.load(['a']);
  compare.requests.load(['a']);
  assert.notEqual(q2a.sent[0].requestId, compare.sent[0].requestId);
  for (const message of [...q2a.sent, ...compare.sent]) assert.equal(WebviewToHost.safeParse(message).success, true);
  assert.equal(q2a.requests.take(compare.answer(0, 'a')), undefined);
  assert.deepEqual(compare.requests.take(compare.answer(0, 'a'))?.map((d) => d.runId), ['a']);
  assert.deepEqual(q2a.requests.take(q2a.answer(0, 'a'))?.map((d) => d.runId), ['a']);
});

test('a late answer to a superseded request is ignored, whichever order the answers come in', () => {
  const { requests, answer } = tab('compare');
  requests.load(['a', 'b']); // picked (a, b)
  requests.load(['a']); // a's files changed: asked again
  assert.deepEqual(requests.take(answer(1, 'a'))?.map((d) => d.runId), ['a']);
  // The first answer arrives last: b is still wanted from it, a is not.
  assert.deepEqual(requests.take(answer(0, 'a', 'b'))?.map((d) => d.runId), ['b']);
  requests.load(['c']);
  requests.load(['c']);
  assert.deepEqual(requests.take(answer(2, 'c')), [], 'an answer older than the latest request for c');
  assert.deepEqual(requests.take(answer(3, 'c'))?.map((d) => d.runId), ['c']);
  assert.deepEqual(requests.take(answer(3, 'c')), [], 'an answer is taken once');
});
