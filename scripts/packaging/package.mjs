// One .vsix per platform: node scripts/packaging/package.mjs [<platform>-<arch> …] (default: every
// platform in targets.mjs). Each is a production build carrying that platform's ONNX Runtime library
// and canvas binary, checked by their headers, packaged with `vsce package --target`, so VS Code and
// the Marketplace install the right one. The build for this machine is restored at the end.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TARGETS, binaryKind, targetOf } from './targets.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
process.chdir(root);
const { version } = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const canvasVersion = JSON.parse(fs.readFileSync('node_modules/@napi-rs/canvas/package.json', 'utf8')).version;
const run = (command, args) => execFileSync(command, args, { stdio: 'inherit' });
const outDir = 'dist-vsix';

/** Another platform's canvas binary, from the npm registry, unpacked once into .cache/native. */
function fetchCanvas(name) {
  const dir = `.cache/native/@napi-rs/${name}`;
  if (fs.existsSync(`node_modules/@napi-rs/${name}`) || fs.existsSync(dir)) return;
  const tmp = fs.mkdtempSync('.cache/native-');
  try {
    const [tarball] = JSON.parse(execFileSync('npm', ['pack', `@napi-rs/${name}@${canvasVersion}`, '--json', '--pack-destination', tmp], { encoding: 'utf8' }));
    run('tar', ['-xzf', path.join(tmp, tarball.filename), '-C', tmp]);
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.renameSync(path.join(tmp, 'package'), dir);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Every native library in the build must be the target's: a wrong one would load nowhere. */
function checkBinaries(target) {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(node|dll|dylib)$|\.so(\.\d+)*$/.test(entry.name)) found.push(file);
    }
  };
  walk('dist/node_modules');
  const wrong = found.map((file) => ({ file, kind: binaryKind(fs.readFileSync(file)) })).filter(({ kind }) => kind.format !== target.binary.format || kind.arch !== target.binary.arch);
  if (wrong.length) throw new Error(`${target.name}: ${wrong.map(({ file, kind }) => `${file} is ${kind.format} ${kind.arch}`).join('; ')}`);
  for (const need of ['onnxruntime_binding.node', `${target.canvas.slice('canvas-'.length)}.node`]) {
    if (!found.some((file) => path.basename(file).endsWith(need))) throw new Error(`${target.name}: the build lacks ${need}`);
  }
  return found.length;
}

const targets = (process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(TARGETS)).map(targetOf);
fs.mkdirSync(outDir, { recursive: true });
fs.mkdirSync('.cache', { recursive: true });
const built = [];
try {
  for (const target of targets) {
    fetchCanvas(target.canvas);
    run(process.execPath, ['esbuild.mjs', '--production', `--target=${target.name}`]);
    const binaries = checkBinaries(target);
    const file = path.join(outDir, `assignment2-workbench-${version}-${target.name}.vsix`);
    run('npx', ['vsce', 'package', '--target', target.name, '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', file]);
    built.push({ target: target.name, file, bytes: fs.statSync(file).size, binaries });
  }
} finally {
  run(process.execPath, ['esbuild.mjs', '--production']);
}
for (const b of built) console.log(`${b.target}: ${b.file} (${(b.bytes / 2 ** 20).toFixed(1)} MiB, ${b.binaries} native libraries checked)`);
