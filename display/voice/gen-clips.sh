#!/bin/sh
# Generate the default voice clips: one Ogg Vorbis file per token of voice.Tokens(), spoken
# by Debian's espeak-ng Indonesian voice, plus a two-tone chime synthesised by sox.
# Needs: apt-get install -y espeak-ng sox libsox-fmt-all
# Usage: display/voice/gen-clips.sh [OUTDIR]   (default: display/web/voice)
# The output is committed; rerun only to change the voice or add a token.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../web/voice}
for tool in espeak-ng sox; do
	command -v "$tool" >/dev/null || {
		echo "$tool is missing: apt-get install -y espeak-ng sox libsox-fmt-all" >&2
		exit 1
	}
done
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Ogg Vorbis, mono, 16 kHz, lowest quality: speech stays clear and Chromium plays it.
enc="-r 16000 -c 1 -C -1"

# say TOKEN TEXT: speak TEXT, trim the silence espeak leaves around it, normalise loudness,
# and leave a short pause after it so clips played back to back sound like one sentence.
say() {
	espeak-ng -v id -s 135 -p 45 -w "$tmp/raw.wav" "$2"
	sox "$tmp/raw.wav" $enc "$out/$1.ogg" \
		silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse \
		norm -1 pad 0 "${3:-0.08}"
}

# Phrase clips (a longer pause where the announcer would put a comma).
say nomor-antrean "Nomor antrean" 0.25
say silakan-menuju-loket "silakan menuju loket" 0.12
say silakan-menuju "silakan menuju" 0.12

# Number words.
for w in nol satu dua tiga empat lima enam tujuh delapan sembilan \
	sepuluh sebelas belas puluh seratus ratus seribu ribu; do
	say "$w" "$w"
done

# Letters, by their Indonesian names (a, be, ce, …), for prefixes and lettered counters.
while read -r letter name; do
	say "$letter" "$name" 0.2
done <<LETTERS
a a
b be
c ce
d de
e e
f ef
g ge
h ha
i i
j je
k ka
l el
m em
n en
o o
p pe
q ki
r er
s es
t te
u u
v fe
w we
x eks
y ye
z zet
LETTERS

# Chime: a "ding-dong" of two decaying sine tones (A5 then F5), then a short rest.
sox -n -r 16000 -c 1 "$tmp/ding.wav" synth 0.45 sine 880 sine 1760 remix - fade h 0.005 0.45 0.4
sox -n -r 16000 -c 1 "$tmp/dong.wav" synth 0.8 sine 698.46 sine 1396.9 remix - fade h 0.005 0.8 0.75
sox "$tmp/ding.wav" "$tmp/dong.wav" $enc "$out/chime.ogg" norm -3 pad 0 0.3

# Refused: two short low tones falling (B4 then F#4), unlike the chime, for a ticket
# button that could not give a ticket (the display plays it on a button_refused notice).
sox -n -r 16000 -c 1 "$tmp/r1.wav" synth 0.16 sine 494 sine 988 remix - fade h 0.005 0.16 0.03 pad 0 0.06
sox -n -r 16000 -c 1 "$tmp/r2.wav" synth 0.32 sine 370 sine 740 remix - fade h 0.005 0.32 0.12
sox "$tmp/r1.wav" "$tmp/r2.wav" $enc "$out/refused.ogg" norm -3 pad 0 0.2

du -ch "$out"/*.ogg | tail -1
