#!/bin/sh
set -eu
gen="$1"
[ -s "$gen" ] || exit 0
if ! command -v locale-gen >/dev/null 2>&1; then
  echo "stack-elevator: locales are listed but the locales package is not installed (add locales to the package list)" >&2
  exit 1
fi
cp "$gen" /etc/locale.gen
locale-gen
