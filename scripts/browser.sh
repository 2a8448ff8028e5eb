#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; Playwright's own browser download is refused
# on these machines, so never run `playwright install`.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Chromium from Debian's packages…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
