#!/usr/bin/env bash
# Installs what the VS Code end-to-end tests (tests/vscode/) need: code-server
# (VS Code's web build) from the npm registry, with its native modules built
# against the distribution's node headers and the distribution's ripgrep in
# place of the one it would download; Chromium from the distribution. No
# browser or VS Code build is downloaded from anywhere else. Playwright comes
# from PyPI through the `test` extra.
#
# The build is kept under $GENGUARD_VSCODE_CACHE (default
# ~/.cache/genguard-vscode), one folder per code-server version, so a second
# run on the same machine only checks a marker. It is built in a scratch
# folder and moved into place at the end: an interrupted run leaves nothing
# that looks installed.
#
#   tests/vscode/setup.sh          install if needed, print the entry script
#   tests/vscode/setup.sh --where  print where the entry script is (or would be)
set -euo pipefail

VERSION=4.100.3
CACHE="${GENGUARD_VSCODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/genguard-vscode}"
HOME_DIR="$CACHE/code-server-$VERSION"
ENTRY="$HOME_DIR/node_modules/code-server/out/node/entry.js"
# the marker names the recipe, so a changed recipe rebuilds
RECIPE=2
MARKER="$HOME_DIR/.installed-$RECIPE"

if [ "${1:-}" = "--where" ]; then
  echo "$ENTRY"
  [ -f "$MARKER" ]
  exit
fi

log() { echo "vscode-setup: $*" >&2; }

# -- distribution packages ------------------------------------------------------
need=()
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v g++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || need+=(build-essential)
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -f /usr/include/node/node_api.h ] || { log "node headers missing (/usr/include/node): install Debian's nodejs"; exit 1; }

if [ -f "$MARKER" ] && [ -f "$ENTRY" ]; then
  echo "$ENTRY"
  exit 0
fi

# -- code-server ------------------------------------------------------------------
log "building code-server $VERSION in $HOME_DIR"
mkdir -p "$CACHE"
BUILD="$(mktemp -d "$CACHE/build.XXXXXX")"
trap 'rm -rf "$BUILD"' EXIT
export npm_config_nodedir=/usr   # node-gyp uses these headers; no header download
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
quiet() { "$@" >>"$BUILD/npm.log" 2>&1 || { tail -40 "$BUILD/npm.log" >&2; log "failed: $*"; exit 1; }; }

cd "$BUILD"
echo '{"name": "genguard-vscode-e2e", "private": true}' >package.json
quiet npm install --no-save --ignore-scripts "code-server@$VERSION"
quiet npm rebuild argon2

cd node_modules/code-server/lib/vscode
quiet npm install --unsafe-perm --omit=dev --ignore-scripts
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
quiet npm rebuild native-watchdog @vscode/spdlog @vscode/deviceid @parcel/watcher
# node-pty's install script fails at its very last step (compile_commands.json)
# after pty.node is built; only the module matters
npm rebuild node-pty >>"$BUILD/npm.log" 2>&1 || true
[ -f node_modules/node-pty/build/Release/pty.node ] || { tail -40 "$BUILD/npm.log" >&2; log "node-pty did not build"; exit 1; }
# what code-server's postinstall.sh would do
ln -sfn node_modules node_modules.asar
ln -sfn code-linux.sh bin/remote-cli/code-server
ln -sfn browser-linux.sh bin/helpers/browser.sh
(cd extensions && quiet npm install --unsafe-perm --omit=dev)
cd "$BUILD"

# smoke test: it starts and names its version
out="$(node node_modules/code-server/out/node/entry.js --version 2>&1)" || { echo "$out" >&2; exit 1; }
case "$out" in *"$VERSION"*) ;; *) log "unexpected --version output: $out"; exit 1 ;; esac

rm -f npm.log
touch ".installed-$RECIPE"
rm -rf "$HOME_DIR"
mv "$BUILD" "$HOME_DIR"
trap - EXIT
log "installed in $SECONDS s"
echo "$ENTRY"
