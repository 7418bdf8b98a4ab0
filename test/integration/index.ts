// Mocha entry point loaded by VS Code's extension host as `extensionTestsPath`, both by
// @vscode/test-electron (run-electron.ts) and by code-server's smoke-test driver (run-code-server.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // Generous: the first call into the engine may load TensorFlow.js backends on a slow machine.
  const mocha = new Mocha({ ui: 'tdd', timeout: 120_000, color: false, reporter: 'spec' });
  // Each test/integration/*.test.ts is bundled to a sibling *.test.js of this file.
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));

  return new Promise((resolve, reject) => {
    if (files.length === 0) {
      reject(new Error(`No *.test.js files next to ${__filename}`));
      return;
    }
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}
