#!/bin/sh
# Publish antri.local -> this host's first IPv4 address through avahi, and
# exit when the address changes so systemd restarts it with the new one.
set -u
addr() { hostname -I 2>/dev/null | tr ' ' '\n' | grep -m1 -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$'; }
ip="$(addr || true)"
while [ -z "$ip" ]; do
	sleep 3
	ip="$(addr || true)"
done
avahi-publish -a -R antri.local "$ip" &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
	sleep 30
	[ "$(addr || true)" = "$ip" ] || { kill "$pid"; exit 0; }
done
exit 1
