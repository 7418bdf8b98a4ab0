// The platforms a .vsix can be built for: those for which both native dependencies ship a binary.
// ONNX Runtime's npm package holds each one's library under bin/napi-v6/<platform>/<arch>;
// @napi-rs/canvas has one npm package per platform. (ONNX Runtime has no macOS x64 or musl build.)
export const TARGETS = {
  'linux-x64': { canvas: 'canvas-linux-x64-gnu', binary: { format: 'elf', arch: 'x64' } },
  'linux-arm64': { canvas: 'canvas-linux-arm64-gnu', binary: { format: 'elf', arch: 'arm64' } },
  'darwin-arm64': { canvas: 'canvas-darwin-arm64', binary: { format: 'mach-o', arch: 'arm64' } },
  'win32-x64': { canvas: 'canvas-win32-x64-msvc', binary: { format: 'pe', arch: 'x64' } },
  'win32-arm64': { canvas: 'canvas-win32-arm64-msvc', binary: { format: 'pe', arch: 'arm64' } },
};

/** `<platform>-<arch>` as VS Code's --target names it, checked. */
export function targetOf(name) {
  if (!Object.hasOwn(TARGETS, name)) throw new Error(`No .vsix for ${name}: the native dependencies ship binaries for ${Object.keys(TARGETS).join(', ')} only.`);
  const [platform, arch] = name.split('-');
  return { name, platform, arch, ...TARGETS[name] };
}

/**
 * What a native library was built for, read from its header: ELF (e_machine), PE (the COFF header's
 * Machine) or Mach-O (cputype). Enough to prove a package carries the binaries of its own platform.
 */
export function binaryKind(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) === 0x7f454c46) {
    const machine = view.getUint16(18, true);
    return { format: 'elf', arch: { 0x3e: 'x64', 0xb7: 'arm64' }[machine] ?? `machine 0x${machine.toString(16)}` };
  }
  if (view.getUint16(0) === 0x4d5a) {
    const machine = view.getUint16(view.getUint32(0x3c, true) + 4, true);
    return { format: 'pe', arch: { 0x8664: 'x64', 0xaa64: 'arm64' }[machine] ?? `machine 0x${machine.toString(16)}` };
  }
  if (view.getUint32(0, true) === 0xfeedfacf) {
    const cpu = view.getUint32(4, true);
    return { format: 'mach-o', arch: { 0x01000007: 'x64', 0x0100000c: 'arm64' }[cpu] ?? `cpu 0x${cpu.toString(16)}` };
  }
  return { format: 'unknown', arch: 'unknown' };
}
