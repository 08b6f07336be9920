#!/usr/bin/env bash
# Screenshot a command's real window, for docs/images/: docs/capture.sh OUT.png [--size WxH] [--wait S] -- CMD...
# Runs CMD on a private Xvfb display (xvfb and ImageMagick's `import`, as .ci/run installs them), waits S
# seconds (default 8) for the window to settle, saves the whole screen to OUT.png and ends CMD.
set -euo pipefail
out=$1
shift
size=1366x768
wait=8
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --wait) wait=$2; shift 2 ;;
    *) echo "capture.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
shift  # the --
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
sleep 1
DISPLAY=$display QT_QPA_PLATFORM=xcb "$@" &
app=$!
sleep "$wait"
DISPLAY=$display import -window root "$out"
kill "$app" 2>/dev/null || true
wait "$app" 2>/dev/null || true
echo "wrote $out"
