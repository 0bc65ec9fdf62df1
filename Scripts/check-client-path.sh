#!/usr/bin/env bash
# The client and the small tools must not load libpq (dlopen'ed by the daemon only) nor
# Foundation/ICU. Checked on the running process with the dynamic loader's own trace, and
# on the sources of the client-side modules.
set -euo pipefail
bin=${1:?usage: check-client-path.sh PATH/TO/walt}
cd "$(dirname "$0")/.."
fail=0
pass=0
for personality in walt walt-dhcp-event walt-server-lldpd walt-net-config walt-server-daemon; do
    for args in "--help" "node --help"; do
        [ "$personality" = walt ] || [ "$args" = "--help" ] || continue
        # shellcheck disable=SC2086
        libs=$(LD_DEBUG=libs WALT_PERSONALITY=$personality "$bin" $args 2>&1 >/dev/null | grep -E 'calling init: ' | awk '{print $NF}')
        bad=$(grep -E 'libpq|libFoundation|FoundationICU|libicu' <<<"$libs" || true)
        if [ -n "$bad" ]; then
            echo "FAIL: '$personality $args' loads: $bad"
            fail=$((fail + 1))
        else
            pass=$((pass + 1))
        fi
    done
done
imports=$(grep -rlE '^\s*(public |internal |@preconcurrency )*import (Foundation|FoundationEssentials|NIO|NIOCore|NIOPosix)\b' \
    Sources/WaltCommon Sources/WaltClient Sources/WaltTools Sources/walt 2>/dev/null || true)
if [ -n "$imports" ]; then
    echo "FAIL: Foundation or NIO imported on the client/tool path: $imports"
    fail=$((fail + 1))
else
    pass=$((pass + 1))
fi
echo "client-path: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
