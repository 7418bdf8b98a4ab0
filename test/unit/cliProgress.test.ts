import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { EngineEvent } from '../../src/engine/protocol';
import { progressPrinter } from '../../src/engine/cliProgress';

test('the time left weighs each planned job by its cost per batch, and a job that trains nothing does not shift the plan', () => {
  mock.timers.enable({ apis: ['Date'], now: 0 });
  const written: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    // A cheap job of 100 batches, then one of 100 batches that each cost three times as much.
    const print = progressPrinter({ jobs: [{ batches: 100, cost: 1 }, { batches: 100, cost: 3 }] });
    const started = (runId: string): EngineEvent => ({ type: 'jobStarted', jobId: 'j', runId, runDir: `/runs/${runId}` });
    print(started('q1')); // the Q1 study: no batches
    mock.timers.tick(2000);
    print(started('cheap'));
    for (let batch = 1; batch <= 100; batch++) {
      mock.timers.tick(100);
      print({ type: 'progress', jobId: 'j', epoch: 1, epochs: 1, batch, batches: 100, loss: 0.1 });
    }
    mock.timers.tick(10_000); // its analysis
    print(started('costly'));
  } finally {
    process.stderr.write = write;
    mock.timers.reset();
  }
  // 99 timed batches took 9.9 s, so a unit of cost is 0.099 s: 300 units ahead are 29.7 s, plus the
  // 12.1 s between jobs that the first job took beyond its batches.
  const line = written.find((l) => l.startsWith('Run costly'));
  assert.match(line ?? '', /elapsed 0:22, about 0:42 left/);
});
