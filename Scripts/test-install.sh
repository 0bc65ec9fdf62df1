#!/usr/bin/env bash
# `make install` into a scratch DESTDIR gives one binary and four symlinks, and every name
# works from there; `make uninstall` removes them all. Uses the debug build (no release build
# needed to check the layout).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=$(mktemp -d /tmp/walt-install-test.XXXXXX)
trap 'rm -rf "$dest"' EXIT
make --no-print-directory install CONFIG=debug DESTDIR="$dest" PREFIX=/usr/local >/dev/null
bin="$dest/usr/local/bin"
fail=0
[ -f "$bin/walt" ] && [ ! -L "$bin/walt" ] || { echo "FAIL: $bin/walt is not a regular file"; fail=1; }
for name in walt-server-daemon walt-dhcp-event walt-server-lldpd walt-net-config; do
    [ "$(readlink "$bin/$name")" = walt ] || { echo "FAIL: $name is not a symlink to walt"; fail=1; }
done
for name in walt walt-server-daemon walt-dhcp-event walt-server-lldpd walt-net-config; do
    out=$(env -u WALT_PERSONALITY PATH="$bin:$PATH" "$name" --help) || { echo "FAIL: $name --help exited $?"; fail=1; continue; }
    case "$name" in
        walt) expect="WalT platform control tool" ;;
        *) expect="Usage: $name" ;;
    esac
    grep -qF "$expect" <<<"$out" || { echo "FAIL: $name --help does not show '$expect'"; fail=1; }
done
make --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr/local >/dev/null
left=$(find "$bin" -mindepth 1 | wc -l)
[ "$left" -eq 0 ] || { echo "FAIL: uninstall left $left files in $bin"; fail=1; }
if [ "$fail" -eq 0 ]; then echo "install: 12 passed, 0 failed"; else echo "install: layout check failed"; exit 1; fi
