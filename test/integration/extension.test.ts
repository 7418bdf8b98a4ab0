import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'assignment2.assignment2-workbench';
const BACKENDS = ['onnxruntime', 'tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

async function activated(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  await ext.activate();
  return ext;
}

/** Tab changes reach the extension host asynchronously after the command that caused them. */
async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

suite('Assignment 2 Workbench extension', () => {
  test('activates', async () => {
    const ext = await activated();
    assert.equal(ext.isActive, true);
  });

  test('registers every command contributed in package.json', async () => {
    const ext = await activated();
    const manifest = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'package.json'), 'utf8'));
    const declared: string[] = (manifest.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(declared.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      declared.filter((id) => !registered.has(id)),
      [],
      'contributed commands without a registered handler',
    );
  });

  test('assignment2.openWorkbench opens the workbench webview', async () => {
    await activated();
    await vscode.commands.executeCommand('assignment2.openWorkbench');
    const tab = await waitFor('a webview tab of type assignment2.workbench', () =>
      vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('assignment2.workbench')),
    );
    assert.ok(tab.label, 'the workbench tab has no title');
  });

  test('assignment2.showBackendInfo reports the chosen backend and all candidates', async () => {
    await activated();
    const info = await vscode.commands.executeCommand<unknown>('assignment2.showBackendInfo');
    assert.ok(info && typeof info === 'object', `expected an object, got ${JSON.stringify(info)}`);
    const { chosen, candidates } = info as {
      chosen: unknown;
      candidates: Array<{ name: unknown; status: unknown; reason: unknown }>;
    };
    assert.equal(typeof chosen, 'string');
    assert.ok(BACKENDS.includes(chosen as string), `chosen backend ${JSON.stringify(chosen)} is not one of ${BACKENDS}`);
    assert.ok(Array.isArray(candidates), 'candidates is not an array');
    for (const c of candidates) {
      assert.equal(typeof c.name, 'string', `candidate name: ${JSON.stringify(c)}`);
      assert.equal(typeof c.status, 'string', `candidate status: ${JSON.stringify(c)}`);
      assert.equal(typeof c.reason, 'string', `candidate reason: ${JSON.stringify(c)}`);
    }
    const names = candidates.map((c) => c.name);
    assert.deepEqual(
      BACKENDS.filter((b) => !names.includes(b)),
      [],
      `candidates ${JSON.stringify(names)} miss some backends`,
    );
    assert.equal(candidates.find((c) => c.name === chosen)?.status, 'chosen', `status of the chosen backend ${chosen}`);
    // The engine inside VS Code loads ONNX Runtime's native library and trains on its CPU provider here.
    const onnx = (info as { onnx?: { provider: string; threads: number } }).onnx;
    assert.deepEqual([chosen, onnx?.provider], ['onnxruntime', 'cpu'], JSON.stringify(info));
    assert.ok(onnx!.threads >= 1);
    console.log(`      backend: ${chosen} (${candidates.map((c) => `${c.name}=${c.status}`).join(', ')})`);
  });
});
