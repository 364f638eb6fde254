#!/bin/sh
# The app user of every CF stack: vcap, uid/gid as cflinuxfs4 (useradd -u 2000 -mU -s /bin/bash vcap).
set -eu
uid="$1"; gid="$2"
groupadd --gid "$gid" vcap
useradd --uid "$uid" --gid "$gid" --create-home --shell /bin/bash vcap
install -d -o "$uid" -g "$gid" /home/vcap/app
ln -s /home/vcap/app /app
