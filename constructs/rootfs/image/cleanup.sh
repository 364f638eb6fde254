#!/bin/sh
set -eu
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*
rm -rf /var/log/apt/* /var/log/dpkg.log /var/log/alternatives.log /var/log/bootstrap.log
rm -f /var/cache/debconf/*-old /var/lib/dpkg/*-old /etc/passwd- /etc/group- /etc/shadow- /etc/gshadow- /etc/subuid- /etc/subgid-
rm -f /var/cache/ldconfig/aux-cache
# Docs the base brought in before the dpkg path-exclude was in place.
find /usr/share/doc -depth -mindepth 1 ! -name copyright ! -type d -delete
find /usr/share/doc -depth -mindepth 1 -type d -empty -delete
rm -rf /usr/share/man/* /usr/share/info/* /usr/share/lintian/*
rm -rf /tmp/* /var/tmp/* /root/.cache
