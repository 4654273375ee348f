#!/usr/bin/env bash
# Checks the documented production start from the project root: builds dist/, starts `node dist/main.js` (and
# `npm start`, `npm run start:prod`) on a free port with a temporary SQLite file, waits for /healthz, sends ONE SIGTERM and checks that
# the process exited with code 0 and the port is free again. Usage: scripts/deploy-check.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" != "--no-build" ]]; then npm run --silent build; fi

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
port_is_free() { node -e "const s=require('net').createServer();s.once('error',()=>process.exit(1));s.listen($1,'0.0.0.0',()=>s.close(()=>process.exit(0)))"; }

# check NAME COMMAND...: start, wait for health, one SIGTERM, exit code 0, port free.
check() {
  local name="$1"; shift
  local port; port="$(free_port)"
  local log="$workdir/$name.log"
  PORT="$port" HOST=0.0.0.0 DATABASE_URL="file:$workdir/$name.db" LOG_LEVEL=warn ENV_FILE=/dev/null "$@" >"$log" 2>&1 &
  local pid=$!
  local healthy=""
  for _ in $(seq 1 600); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then healthy=yes; break; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [[ -z "$healthy" ]]; then
    echo "FAIL $name: /healthz never answered on port $port"; cat "$log"; kill "$pid" 2>/dev/null || true; return 1
  fi
  kill -TERM "$pid"
  local code=0
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then echo "FAIL $name: still running 15 s after one SIGTERM"; kill -KILL "$pid"; return 1; fi
  wait "$pid" || code=$?
  if [[ "$code" != 0 ]]; then echo "FAIL $name: exit code $code after SIGTERM"; cat "$log"; return 1; fi
  for _ in $(seq 1 50); do port_is_free "$port" && break; sleep 0.1; done
  if ! port_is_free "$port"; then echo "FAIL $name: port $port still taken after the process exited (a child kept it)"; return 1; fi
  echo "ok $name: healthy on port $port, one SIGTERM, exit 0, port free"
}

check node-dist node --liftoff-only --max-semi-space-size=2 --heap-growing-percent=50 --single-threaded dist/main.js
check npm-start npm start --silent
check npm-start-prod npm run --silent start:prod
