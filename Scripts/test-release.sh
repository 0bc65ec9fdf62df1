#!/usr/bin/env bash
# The release binary, as `make` builds and `make install` ships it (the tests use the debug
# build): still position-independent, libstdc++ and libgcc's unwinder linked in, no exported
# symbols, no runpath, relative relocations packed, the client's functions placed first, the
# client path free of libpq and Foundation; and it works: a daemon on a loopback
# address with its own embedded PostgreSQL, nodes registered through walt-dhcp-event, and
# `walt node show` listing them. Everything it starts is stopped and removed, also on failure.
set -euo pipefail
bin=${1:?usage: test-release.sh PATH/TO/release/walt}
cd "$(dirname "$0")/.."
fail=0
pass=0
ok() { pass=$((pass + 1)); }
no() { echo "FAIL: $*"; fail=$((fail + 1)); }

elf=$(readelf -h -d "$bin")
if grep -q 'Type:.*DYN' <<<"$elf" && grep -q 'FLAGS_1.*PIE' <<<"$elf"; then ok; else no "not a position-independent executable"; fi
if grep -q 'NEEDED.*libstdc++' <<<"$elf"; then no "libstdc++ is loaded dynamically"; else ok; fi
if grep -q 'NEEDED.*libgcc_s' <<<"$elf"; then no "libgcc_s is loaded dynamically"; else ok; fi
if readelf -S -W "$bin" | grep -q '\.relr\.dyn'; then ok; else no "relative relocations are not packed (no .relr.dyn)"; fi
# The hot-functions list took effect: the entry point is among the client's functions at the
# start of .text (in the first MB; a link without the list puts it 3 to 7 MB in).
text_start=$(readelf -S -W "$bin" | awk '$2 == ".text" { print $4 }')
main_at=$(nm "$bin" | awk '$3 == "walt_main" { print $1 }')
if [ -n "$text_start" ] && [ -n "$main_at" ] && [ $((16#$main_at - 16#$text_start)) -lt 1048576 ]; then ok
else no "walt_main is not placed at the start of .text (the hot-functions list was not applied)"; fi
if grep -qE 'RUNPATH|RPATH' <<<"$elf"; then no "a runpath is set"; else ok; fi
symbols=$(readelf --dyn-syms "$bin" | wc -l)
if [ "$symbols" -lt 2000 ]; then ok; else no "$symbols dynamic symbols: the link exports its symbols"; fi
if Scripts/check-client-path.sh "$bin" >/dev/null; then ok; else no "check-client-path.sh fails on the release binary"; fi

state=$(mktemp -d /tmp/walt-release-test.XXXXXX)
chmod 755 "$state"  # the embedded cluster runs as postgres below it when we are root
daemon=
cleanup() {
    if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
        kill -TERM "$daemon"
        for _ in $(seq 300); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$daemon" 2>/dev/null || true
    fi
    rm -rf "$state"
}
trap cleanup EXIT
address="127.$((RANDOM % 150 + 100)).$((RANDOM % 250 + 1)).$((RANDOM % 248 + 2))"
WALT_PERSONALITY=walt-server-daemon "$bin" --state-dir "$state/daemon" --bind "$address" --http-port 0 \
    >"$state/daemon.log" 2>&1 &
daemon=$!
for _ in $(seq 600); do
    grep -q 'walt-server-daemon ready' "$state/daemon.log" 2>/dev/null && break
    kill -0 "$daemon" 2>/dev/null || break
    sleep 0.1
done
if grep -q 'walt-server-daemon ready' "$state/daemon.log"; then
    ok
    for i in 1 2 3; do
        WALT_PERSONALITY=walt-dhcp-event WALT_SERVER_DAEMON_HOST=$address "$bin" commit walt.node.rpi-3-b "" \
            "192.168.152.$((10 + i))" "b8:27:eb:00:02:0$i" "" 0 unknown >/dev/null || no "walt-dhcp-event failed"
    done
    mkdir -p "$state/home/.walt"
    printf 'walt:\n    server: %s\n    username: alice\n' "$address" >"$state/home/.walt/config"
    shown=$(HOME=$state/home WALT_PERSONALITY=walt LC_ALL=C "$bin" node show --all) || no "walt node show failed"
    if [ "$(grep -c 'rpi-3-b' <<<"$shown")" -eq 3 ]; then ok; else no "walt node show does not list the 3 nodes: $shown"; fi
else
    no "the release daemon did not start: $(tail -5 "$state/daemon.log")"
fi
echo "release: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
