import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface Outcome {
  runDir: string;
  status: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resident set size of the engine (the extension host's child running dist/engine.js), in MB. */
function engineRssMb(): number | undefined {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' });
  const row = table
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/))
    .find((m) => !!m && Number(m[2]) === process.pid && m[4].includes(path.join('dist', 'engine.js')));
  return row ? Number(row[3]) / 1024 : undefined;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

suite('Soak', () => {
  test('20 epochs while the workbench opens and closes again and again: every epoch lands on disk, memory stays flat', async () => {
    const training = vscode.commands.executeCommand<Outcome[]>('assignment2.trainAutoencoder', {
      latents: [16],
      autoencoder: { epochs: 20, trainImages: 1024, testImages: 128, batchSize: 64, warmupSteps: 0 },
    });
    let finished = false;
    void training.then(() => (finished = true), () => (finished = true));
    const samples: { cycle: number; rss: number; heap: number }[] = [];
    let cycles = 0;
    while (!finished) {
      await vscode.commands.executeCommand('assignment2.openWorkbench');
      await sleep(100);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await sleep(100);
      cycles++;
      const rss = engineRssMb();
      if (rss !== undefined) samples.push({ cycle: cycles, rss, heap: process.memoryUsage().heapUsed / 2 ** 20 });
    }
    const [outcome] = (await training) ?? [];
    assert.equal(outcome?.status, 'completed');
    const epochs = fs.readFileSync(path.join(outcome.runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    assert.equal(epochs.length, 20, 'every epoch is on disk');
    assert.deepEqual(epochs.map((line) => JSON.parse(line).epoch), Array.from({ length: 20 }, (_, i) => i + 1));
    assert.ok(cycles >= 10, `only ${cycles} open/close cycles during training`);
    // Flat: after the first third (backends and buffers allocated), the last third grows by little.
    const third = Math.floor(samples.length / 3);
    const early = samples.slice(third, 2 * third);
    const late = samples.slice(-third);
    const [rssEarly, rssLate] = [median(early.map((s) => s.rss)), median(late.map((s) => s.rss))];
    const [heapEarly, heapLate] = [median(early.map((s) => s.heap)), median(late.map((s) => s.heap))];
    console.log(`    soak: ${cycles} cycles; engine RSS ${rssEarly.toFixed(0)} → ${rssLate.toFixed(0)} MB; extension host heap ${heapEarly.toFixed(0)} → ${heapLate.toFixed(0)} MB`);
    assert.ok(rssLate < rssEarly * 1.15 + 20, `engine RSS grew from ${rssEarly.toFixed(0)} to ${rssLate.toFixed(0)} MB`);
    assert.ok(heapLate < heapEarly * 1.5 + 20, `extension host heap grew from ${heapEarly.toFixed(0)} to ${heapLate.toFixed(0)} MB`);
  });
});
