#!/usr/bin/env bash
# `make install` into a scratch DESTDIR gives one binary and its other names as symlinks, and
# every name works from there; `make install-client` gives the binary with the client's names
# only; `make uninstall` removes them all. Uses the debug build (no release build needed to
# check the layout).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=$(mktemp -d /tmp/walt-install-test.XXXXXX)
trap 'rm -rf "$dest"' EXIT
make --no-print-directory install CONFIG=debug DESTDIR="$dest" PREFIX=/usr/local >/dev/null
bin="$dest/usr/local/bin"
fail=0
pass=0
ok() { pass=$((pass + 1)); }
no() { echo "FAIL: $*"; fail=$((fail + 1)); }
# `make uninstall` removes whatever layout is there; $1 says which, in the message.
uninstall_leaves_nothing() {
    make --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr/local >/dev/null
    local left
    left=$(find "$bin" -mindepth 1 | wc -l)
    if [ "$left" -eq 0 ]; then ok; else no "uninstall after $1 left $left files in $bin"; fi
}
if [ -f "$bin/walt" ] && [ ! -L "$bin/walt" ]; then ok; else no "$bin/walt is not a regular file"; fi
for name in walt-server-daemon walt-dhcp-event walt-server-lldpd walt-net-config walt-autocomplete-helper; do
    if [ "$(readlink "$bin/$name")" = walt ]; then ok; else no "$name is not a symlink to walt"; fi
done
for name in walt walt-server-daemon walt-dhcp-event walt-server-lldpd walt-net-config walt-autocomplete-helper; do
    out=$(env -u WALT_PERSONALITY PATH="$bin:$PATH" "$name" --help) || { no "$name --help exited $?"; continue; }
    case "$name" in
        walt) expect="WalT platform control tool" ;;
        *) expect="Usage: $name" ;;
    esac
    if grep -qF "$expect" <<<"$out"; then ok; else no "$name --help does not show '$expect'"; fi
done
uninstall_leaves_nothing install
make --no-print-directory install-client CONFIG=debug DESTDIR="$dest" PREFIX=/usr/local >/dev/null
installed=$(cd "$bin" && ls | tr '\n' ' ')
if [ "$installed" = "walt walt-autocomplete-helper " ]; then ok; else no "install-client installed: $installed"; fi
if [ -f "$bin/walt" ] && [ ! -L "$bin/walt" ] && [ "$(readlink "$bin/walt-autocomplete-helper")" = walt ]; then ok
else no "install-client: walt is not a file with walt-autocomplete-helper linked to it"; fi
out=$(env -u WALT_PERSONALITY PATH="$bin:$PATH" walt --help) || no "client install: walt --help exited $?"
if grep -qF "WalT platform control tool" <<<"$out"; then ok; else no "client install: walt --help is not the client's"; fi
uninstall_leaves_nothing install-client
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
