#!/bin/sh
# Installs the stack package list the way cflinuxfs4 does: update, dist-upgrade, no recommends.
set -eu
list="$1"
export DEBIAN_FRONTEND=noninteractive
apt="apt-get -o Dpkg::Use-Pty=0 -o APT::Color=0"
$apt update
$apt -y dist-upgrade
# shellcheck disable=SC2046 # one package per line, no spaces by construction
$apt -y install --no-install-recommends $(cat "$list")
