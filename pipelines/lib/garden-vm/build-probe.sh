#!/usr/bin/env bash
# Builds the probe (probe/main.go) for the VM in the garden module of the pinned garden-runc tree:
# vendored dependencies only, no network. usage: build-probe.sh <garden-runc release dir> <out binary> [goarch]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
release=$1 out=$(realpath -m "$2") goarch=${3:-arm}
garden="$release/src/garden"
[ -f "$garden/go.mod" ] || { echo "build-probe.sh: $garden/go.mod missing (fix: extract garden-runc-release-v1.58.0-src.tgz first)" >&2; exit 2; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cp -a "$garden/." "$work/"
mkdir -p "$work/cmd/se-garden-probe" && cp "$here/probe/main.go" "$work/cmd/se-garden-probe/"
cd "$work"
env CGO_ENABLED=0 GOOS=linux GOARCH="$goarch" GOARM=7 GOFLAGS='-mod=vendor -trimpath -buildvcs=false' GOPROXY=off GOTOOLCHAIN=local GOWORK=off \
  go build -ldflags=-s -o "$out" ./cmd/se-garden-probe
