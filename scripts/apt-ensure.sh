#!/usr/bin/env bash
# Install Debian packages that are missing. Arguments are CHECK:PACKAGE pairs, where
# CHECK is a command on PATH or an absolute path that the package provides.
# (Playwright's own browser download is refused on these machines, so the browser tests
# drive Debian's chromium.)
set -euo pipefail
missing=()
for pair in "$@"; do
  check=${pair%%:*}
  package=${pair#*:}
  if [[ $check == /* ]]; then [[ -e $check ]] && continue
  else command -v "$check" >/dev/null 2>&1 && continue
  fi
  missing+=("$package")
done
((${#missing[@]})) || exit 0
echo "Installing Debian packages: ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "Run as root, or install them yourself: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
