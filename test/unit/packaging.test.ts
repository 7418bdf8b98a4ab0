import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
// @ts-expect-error: a plain ES module of the build scripts, without type declarations
import { TARGETS, binaryKind, targetOf } from '../../scripts/packaging/targets.mjs';

const ortBin = path.join('node_modules', 'onnxruntime-node', 'bin', 'napi-v6');

test("each platform's ONNX Runtime binding is recognised by its header as that platform's", () => {
  for (const [name, target] of Object.entries(TARGETS) as [string, { binary: { format: string; arch: string } }][]) {
    const [platform, arch] = name.split('-');
    const binding = fs.readFileSync(path.join(ortBin, platform, arch, 'onnxruntime_binding.node'));
    assert.deepEqual(binaryKind(binding), target.binary, name);
  }
  assert.deepEqual(binaryKind(new TextEncoder().encode('#!/bin/sh\n')), { format: 'unknown', arch: 'unknown' });
});

test('a platform without both native binaries is refused, naming the ones there are', () => {
  assert.throws(() => targetOf('darwin-x64'), /No \.vsix for darwin-x64: .*linux-x64, linux-arm64, darwin-arm64, win32-x64, win32-arm64 only/);
  assert.equal(targetOf('win32-arm64').canvas, 'canvas-win32-arm64-msvc');
});
