#!/bin/sh
# antri-update: start antrid from its update slot, and switch back an update that
# does not come up healthy — without the new antrid's help, so that a release that
# crashes at start, hangs or cannot run at all is undone all the same
# (docs/FLEET.md, "How an office switches back").
#
#   antri-update start ARGS...     antrid.service's ExecStart: count a start of a
#                                  trial, switch back after too many, then exec the
#                                  current binary with ARGS
#   antri-update watch             antri-update-watch.service (as antri), every 30 s
#                                  from its timer: switch back a trial that was not
#                                  confirmed healthy within its window
#   antri-update restart-if-needed the same unit's privileged half: restart antrid
#                                  after watch switched back under it
#   antri-update run ARGS...       the antrid that runs now with ARGS, for a
#                                  technician's command (report, check-config,
#                                  backup): after an update /usr/bin/antrid is the
#                                  package's older binary, which may refuse the
#                                  database or config of the release that runs
#
# The folder (ANTRI_UPDATE_DIR, default /var/lib/antri/update) is described in
# sync/update/slots.go. antrid writes `trial`, `trial-clock` and `fallback` before it
# switches `current` and exits; it confirms by renaming `trial` away. This script ends
# a trial the same way, so exactly one of the two ends it.
set -u

dir="${ANTRI_UPDATE_DIR:-/var/lib/antri/update}"
pkg="${ANTRI_PACKAGE_BIN:-/usr/bin/antrid}"
systemctl="${ANTRI_SYSTEMCTL:-systemctl --no-block}"
unit="${ANTRI_UNIT:-antrid.service}"

# log PRIORITY MESSAGE: to the journal with its syslog priority (sd-daemon prefix).
log() { printf '<%s>antri-update: %s\n' "$1" "$2" >&2; }

# val KEY FILE: the value of KEY=... in FILE.
val() { sed -n "s/^$1=//p" "$2" 2>/dev/null | head -n 1; }

boot_id() { cat /proc/sys/kernel/random/boot_id; }
uptime_s() { cut -d. -f1 /proc/uptime; }

# put FILE: replace FILE with stdin in one rename.
put() { cat >"$1.new" && mv -f "$1.new" "$1"; }

# switch_back CODE: end the trial and point current at the fallback binary. Fails
# (status 1) when the trial already ended: antrid confirmed it meanwhile.
switch_back() {
	mv "$dir/trial" "$dir/trial.ended" 2>/dev/null || return 1
	version=$(val version "$dir/trial.ended")
	from=$(val from "$dir/trial.ended")
	target=$(readlink "$dir/fallback" 2>/dev/null) || target="$pkg"
	ln -sfn "$target" "$dir/.current.new" && mv -fT "$dir/.current.new" "$dir/current"
	printf '{"state":"rolled_back","version":"%s","from":"%s","code":"%s","at":"%s"}\n' \
		"$version" "$from" "$1" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" | put "$dir/outcome.json"
	rm -f "$dir/trial.ended" "$dir/attempts" "$dir/trial-clock" "$dir/fallback"
	sync "$dir" 2>/dev/null || sync
	log 3 "pembaruan ke $version dibatalkan ($1): kembali ke $from ($target)"
	return 0
}

start() {
	if [ -f "$dir/trial" ] && [ ! -L "$dir/current" ]; then
		# antrid was cut off while switching, before `current` moved: nothing is
		# on trial. antrid finds the release still installed and switches again.
		rm -f "$dir/trial" "$dir/trial-clock" "$dir/attempts" "$dir/fallback"
		log 4 "peralihan pembaruan yang terputus dibatalkan"
	fi
	if [ -f "$dir/trial" ]; then
		bin=$(readlink "$dir/current" 2>/dev/null) || bin=""
		n=$(cat "$dir/attempts" 2>/dev/null) || n=0
		case "$n" in '' | *[!0-9]*) n=0 ;; esac
		n=$((n + 1))
		max=$(val max_starts "$dir/trial")
		case "$max" in '' | *[!0-9]*) max=3 ;; esac
		if [ -z "$bin" ] || [ ! -x "$bin" ]; then
			switch_back missing
		elif [ "$n" -gt "$max" ]; then
			switch_back crashed
		else
			echo "$n" | put "$dir/attempts"
			# After a reboot the trial's window starts again: a power cut during a
			# trial must not count against the new version.
			if [ "$(val boot "$dir/trial-clock")" != "$(boot_id)" ]; then
				printf 'boot=%s\nsince=%s\n' "$(boot_id)" "$(uptime_s)" | put "$dir/trial-clock"
			fi
			log 5 "uji coba $(val version "$dir/trial"): mulai ke-$n dari $max"
		fi
	fi
	run "$@"
}

# run ARGS...: exec the binary `current` names (the package's when none, or when it
# cannot run) with ARGS. Counts no start: a trial is antrid.service's business.
run() {
	bin=$(readlink "$dir/current" 2>/dev/null) || bin=""
	if [ -z "$bin" ] || [ ! -x "$bin" ]; then
		bin="$pkg"
	fi
	exec "$bin" "$@"
}

watch() {
	[ -f "$dir/trial" ] || return 0
	window=$(val window "$dir/trial")
	case "$window" in '' | *[!0-9]*) window=300 ;; esac
	since=$(val since "$dir/trial-clock")
	case "$since" in '' | *[!0-9]*) return 0 ;; esac
	# Another boot's clock: the next start of antrid sets it again.
	[ "$(val boot "$dir/trial-clock")" = "$(boot_id)" ] || return 0
	if [ $(($(uptime_s) - since)) -gt "$window" ] && switch_back unhealthy; then
		: | put "$dir/restart-needed"
	fi
	return 0
}

restart_if_needed() {
	[ -e "$dir/restart-needed" ] || return 0
	rm -f "$dir/restart-needed"
	log 4 "antrid dimulai ulang dengan versi sebelumnya"
	$systemctl restart "$unit"
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
start) start "$@" ;;
watch) watch ;;
restart-if-needed) restart_if_needed ;;
run) run "$@" ;;
*)
	echo "pakai: antri-update start ARGS... | watch | restart-if-needed | run ARGS..." >&2
	exit 2
	;;
esac
