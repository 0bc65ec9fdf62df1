#!/usr/bin/env bash
# The release links, as `make` builds them (the tests use the debug build). The full link
# (`make install`, `make install-server`) is still position-independent; the client link
# (`make install-client`) is the same objects without it. Both: libstdc++ and libgcc's
# unwinder linked in, no exported symbols, no runpath, the client's functions placed first,
# no /proc/self/maps scan at start, the client path free of libpq and Foundation. And they work: a daemon of the full link on a
# loopback address with its own embedded PostgreSQL, nodes registered through
# walt-dhcp-event, and `walt node show` of each link listing them. Everything it starts is
# stopped and removed, also on failure.
set -euo pipefail
bin=${1:?usage: test-release.sh PATH/TO/release/walt PATH/TO/client/walt}
client=${2:?usage: test-release.sh PATH/TO/release/walt PATH/TO/client/walt}
cd "$(dirname "$0")/.."
fail=0
pass=0
ok() { pass=$((pass + 1)); }
no() { echo "FAIL: $*"; fail=$((fail + 1)); }

# What both links share; $1 is the binary, $2 its name in messages.
check_link() {
    local elf text_start main_at symbols
    elf=$(readelf -h -d "$1")
    if grep -q 'NEEDED.*libstdc++' <<<"$elf"; then no "$2: libstdc++ is loaded dynamically"; else ok; fi
    if grep -q 'NEEDED.*libgcc_s' <<<"$elf"; then no "$2: libgcc_s is loaded dynamically"; else ok; fi
    # The hot-functions list took effect: the entry point is among the client's functions at
    # the start of .text (in the first MB; a link without the list puts it 3 to 7 MB in).
    text_start=$(readelf -S -W "$1" | awk '$2 == ".text" { print $4 }')
    main_at=$(nm "$1" | awk '$3 == "walt_main" { print $1 }')
    if [ -n "$text_start" ] && [ -n "$main_at" ] && [ $((16#$main_at - 16#$text_start)) -lt 1048576 ]; then ok
    else no "$2: walt_main is not placed at the start of .text (the hot-functions list was not applied)"; fi
    if grep -qE 'RUNPATH|RPATH' <<<"$elf"; then no "$2: a runpath is set"; else ok; fi
    # CArgv's argv capture replaced the runtime's /proc/self/maps scan (its constructor).
    if nm "$1" | grep -q '_GLOBAL__sub_I_CommandLine'; then no "$2: the runtime's argv scan is linked in"; else ok; fi
    symbols=$(readelf --dyn-syms "$1" | wc -l)
    if [ "$symbols" -lt 2000 ]; then ok; else no "$2: $symbols dynamic symbols: the link exports its symbols"; fi
    if Scripts/check-client-path.sh "$1" >/dev/null; then ok; else no "check-client-path.sh fails on the $2"; fi
}

elf=$(readelf -h -d "$bin")
if grep -q 'Type:.*DYN' <<<"$elf" && grep -q 'FLAGS_1.*PIE' <<<"$elf"; then ok; else no "full link: not a position-independent executable"; fi
if readelf -S -W "$bin" | grep -q '\.relr\.dyn'; then ok; else no "full link: relative relocations are not packed (no .relr.dyn)"; fi
check_link "$bin" "full link"
if readelf -h "$client" | grep -q 'Type:.*EXEC'; then ok; else no "client link: position-independent (make install-client ships it without)"; fi
if [ -z "$(readelf -r -W "$client" | grep -E 'R_X86_64_RELATIVE|relr')" ]; then ok
else no "client link: has relative relocations for the loader to apply"; fi
check_link "$client" "client link"

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
    for link in "$bin" "$client"; do
        shown=$(HOME=$state/home WALT_PERSONALITY=walt LC_ALL=C "$link" node show --all) || no "$link node show failed"
        if [ "$(grep -c 'rpi-3-b' <<<"$shown")" -eq 3 ]; then ok; else no "$link node show does not list the 3 nodes: $shown"; fi
    done
else
    no "the release daemon did not start: $(tail -5 "$state/daemon.log")"
fi
echo "release: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
