#!/usr/bin/env bash
# Scripts/install.sh into a scratch --prefix with a stand-in binary (a copy of true): the
# unit files and their .wants links, the cleanup script, server.conf from the flags, the
# AppArmor override naming the real binary, --check before and after, a second run that
# changes nothing, and the refusals (bad --walt-net-ip, unknown option). When WALT_BIN names
# a built walt, walt-net-config also parses the server.conf the script wrote.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/walt-install-server-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/root"
cp /bin/true "$work/walt-standin"
install_sh() { Scripts/install.sh --binary "$work/walt-standin" "$@" </dev/null; }
units=(walt-server walt-server-netconfig walt-server-dhcpd walt-server-named walt-server-tftpd
       walt-server-snmpd walt-server-lldpd)

fail=0
pass=0
ok() { pass=$((pass + 1)); }
no() { echo "FAIL: $*"; fail=$((fail + 1)); }
expect() { # DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then ok; else no "$what"; fi
}

# --check on an empty prefix: exit 1, one line per missing piece, nothing created
set +e
out=$(install_sh --prefix "$root" --check 2>&1)
rc=$?
set -e
expect "--check on an empty prefix exits 1 (got $rc)" [ "$rc" -eq 1 ]
expect "--check lists the missing unit file" grep -qxF "missing: $root/etc/systemd/system/walt-server.service" <<<"$out"
expect "--check lists the missing server.conf" grep -qxF "missing: $root/etc/walt/server.conf" <<<"$out"
expect "--check lists the missing binary" grep -qxF "missing: $root/usr/local/bin/walt" <<<"$out"
expect "--check does not create the prefix" [ ! -e "$root" ]

# install
out=$(install_sh --prefix "$root" --walt-net-ip 10.20.30.1/22 --raw-device eth7 2>&1) ||
    no "install exited $?: $out"
expect "install ends with its --prefix line" grep -q '^\*\* WalT server files installed under' <<<"$out"
bin="$root/usr/local/bin"
expect "walt is a regular file" test -f "$bin/walt" -a ! -L "$bin/walt"
expect "walt is the given binary" cmp -s "$bin/walt" "$work/walt-standin"
expect "walt is executable" test -x "$bin/walt"
for name in walt-server-daemon walt-dhcp-event walt-server-lldpd walt-net-config walt-autocomplete-helper; do
    expect "$name is a symlink to walt" [ "$(readlink "$bin/$name")" = walt ]
done
cleanup="$root/usr/local/lib/walt/walt-server-cleanup"
expect "walt-server-cleanup is installed, executable" test -x "$cleanup"
expect "walt-server-cleanup is valid sh" sh -n "$cleanup"
unitdir="$root/etc/systemd/system"
for unit in "${units[@]}"; do
    expect "$unit.service installed as in Scripts/systemd" cmp -s "$unitdir/$unit.service" "Scripts/systemd/$unit.service"
done
declare -A wanted_by=(
    [walt-server]=multi-user.target [walt-server-netconfig]=network.target
    [walt-server-dhcpd]=walt-server-netconfig.service [walt-server-named]=walt-server-netconfig.service
    [walt-server-tftpd]=walt-server-netconfig.service [walt-server-snmpd]=walt-server-netconfig.service
    [walt-server-lldpd]=walt-server-netconfig.service
)
for unit in "${units[@]}"; do
    link="$unitdir/${wanted_by[$unit]}.wants/$unit.service"
    expect "$link -> /etc/systemd/system/$unit.service" [ "$(readlink "$link")" = "/etc/systemd/system/$unit.service" ]
done
links=$(find "$unitdir" -name '*.wants' -prune -exec find {} -type l \; | wc -l)
expect "exactly ${#units[@]} .wants links (found $links)" [ "$links" -eq "${#units[@]}" ]
expect "walt-server.service runs the cleanup script first" \
    grep -qxF "ExecStartPre=/usr/local/lib/walt/walt-server-cleanup" "$unitdir/walt-server.service"
expect "walt-server.service is Type=notify" grep -qxF "Type=notify" "$unitdir/walt-server.service"

conf="$root/etc/walt/server.conf"
expect "server.conf has the walt-net address of the flags" grep -qxF "        ip: 10.20.30.1/22" "$conf"
expect "server.conf has the raw device of the flags" grep -qxF "        raw-device: eth7" "$conf"
expect "server.conf starts its network section as upstream's" \
    grep -qzF $'network:\n    # platform network\n    walt-net:\n' "$conf"
expect "snmpd.conf is the AgentX master" \
    grep -qxF "agentXSocket /run/walt/snmpd/agentx-master.socket" "$root/var/lib/walt/services/snmpd/snmpd.conf"
expect "AppArmor dhcpd override lets dhcpd run the real binary" \
    grep -qxF "/usr/local/bin/walt ux," "$root/etc/apparmor.d/local/usr.sbin.dhcpd"
expect "AppArmor named override is there" test -f "$root/etc/apparmor.d/local/usr.sbin.named"

# The real binary path, when /usr/local/bin leads elsewhere (here: through a symlinked prefix).
mkdir -p "$work/elsewhere/usr/local" "$work/linked/usr"
ln -s "$work/elsewhere/usr/local" "$work/linked/usr/local"
install_sh --prefix "$work/linked" >/dev/null 2>&1 || no "install into a prefix with a symlinked usr/local exited $?"
expect "AppArmor names the resolved path of walt" \
    grep -qxF "$work/elsewhere/usr/local/bin/walt ux," "$work/linked/etc/apparmor.d/local/usr.sbin.dhcpd"

if [ -n "${WALT_BIN:-}" ] && [ -x "$WALT_BIN" ]; then
    if out=$(WALT_PERSONALITY=walt-net-config "$WALT_BIN" --config "$conf" --state-dir "$work/state" down 2>&1); then
        ok
    else
        no "walt-net-config refuses the server.conf install.sh wrote: $out"
    fi
fi

if command -v systemd-analyze >/dev/null; then
    # only the unit syntax: the programs they run are not installed on a test machine
    problems=$(cd "$unitdir" && systemd-analyze verify ./*.service 2>&1 |
        grep -v -e 'is not executable' -e "Command 'man " || true)
    expect "systemd-analyze verify finds nothing wrong: $problems" [ -z "$problems" ]
fi

# --check after the install, a second run, a run keeping server.conf
out=$(install_sh --prefix "$root" --check 2>&1) || no "--check after install exited $?: $out"
expect "--check after install says all present" [ "$out" = "all present" ]
snapshot() { find "$root" -printf '%p %s %m %T@ %l\n' | sort; find "$root" -type f -exec md5sum {} + | sort; }
before=$(snapshot)
out=$(install_sh --prefix "$root" --walt-net-ip 10.20.30.1/22 --raw-device eth7 2>&1) || no "second install exited $?"
expect "second run says nothing to change" grep -qxF "  nothing to change" <<<"$out"
out=$(install_sh --prefix "$root" 2>&1) || no "third install exited $?"
expect "run without network flags says nothing to change" grep -qxF "  nothing to change" <<<"$out"
after=$(snapshot)
expect "second and third runs changed no file" [ "$before" = "$after" ]

# one flag changes that value only
install_sh --prefix "$root" --raw-device none >/dev/null 2>&1 || no "install --raw-device none exited $?"
expect "--raw-device none gives raw-device: null" grep -qxF "        raw-device: null" "$conf"
expect "--raw-device alone keeps the address" grep -qxF "        ip: 10.20.30.1/22" "$conf"

# an out-of-date file shows in --check
echo "# edited" >>"$unitdir/walt-server-tftpd.service"
set +e
out=$(install_sh --prefix "$root" --check 2>&1)
rc=$?
set -e
expect "--check exits 1 on an edited unit" [ "$rc" -eq 1 ]
expect "--check names the edited unit" grep -qxF "out of date: $unitdir/walt-server-tftpd.service" <<<"$out"

# refusals: exit 2, one line
for args in "--walt-net-ip 10.0.0.1/31" "--walt-net-ip 300.0.0.1/24" "--walt-net-ip 10.0.0.1" \
            "--raw-device bad/name" "--frobnicate" "--prefix"; do
    set +e
    # shellcheck disable=SC2086 # the arguments are split on purpose
    out=$(install_sh --prefix "$work/refused" $args 2>&1)
    rc=$?
    set -e
    expect "'$args' exits 2 (got $rc)" [ "$rc" -eq 2 ]
    expect "'$args' gives one line (got: $out)" [ "$(wc -l <<<"$out")" -eq 1 ]
done
expect "refused runs created nothing" [ ! -e "$work/refused" ]

echo "install-server: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
