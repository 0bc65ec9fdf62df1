#!/usr/bin/env bash
# Installs a WalT server on Debian bookworm: the Debian packages it runs, the walt binary and
# its names, the cleanup script, the systemd units, /etc/walt/server.conf, the snmpd
# configuration and the AppArmor overrides; then starts it. Idempotent: a second run writes
# nothing and says so. `--check` only reports; `--prefix DIR` installs the files under DIR as
# a fake root (no apt, no systemctl, no apparmor_parser). Run `Scripts/install.sh --help`.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
units_src="$repo/Scripts/systemd"
me=install.sh

usage() {
    cat <<'EOF'
Usage: Scripts/install.sh [OPTIONS]

Installs (or updates) a WalT server on this Debian bookworm machine, as root, and starts it.

Options:
  --walt-net-ip CIDR     the server's address on walt-net, with its prefix
                         (default 192.168.183.1/24)
  --raw-device IFACE     the interface the nodes' switch is plugged in, or "none" for a
                         virtual-only platform (default none)
  --binary PATH          the walt executable to install (default: .build/release/walt of
                         this repository, built by `make`)
  --prefix DIR           install under DIR as a fake root: no packages, no systemctl, no
                         apparmor_parser (packaging, tests)
  --no-packages          do not install Debian packages
  --check                list what is missing or out of date, change nothing
                         (exit 0 and "all present" when nothing is)
  -h, --help             show this help

Without --walt-net-ip or --raw-device an existing /etc/walt/server.conf is kept as it is;
with either, only that value is changed in it. With neither and no file, a terminal is asked
for both and anything else gets the defaults.
EOF
}

die_usage() { echo "$me: $*" >&2; exit 2; }
die() { echo "$me: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------- options
walt_net_ip=""
raw_device=""
binary=""
prefix=""
with_packages=1
check=0
while [ $# -gt 0 ]; do
    case "$1" in
        --walt-net-ip=*|--raw-device=*|--binary=*|--prefix=*)
            opt=${1%%=*}; value=${1#*=}; shift ;;
        --walt-net-ip|--raw-device|--binary|--prefix)
            [ $# -ge 2 ] || die_usage "$1 needs a value (see --help)"
            opt=$1; value=$2; shift 2 ;;
        --no-packages) with_packages=0; shift; continue ;;
        --check) check=1; shift; continue ;;
        -h|--help) usage; exit 0 ;;
        *) die_usage "unknown option '$1' (see --help)" ;;
    esac
    case "$opt" in
        --walt-net-ip) walt_net_ip=$value ;;
        --raw-device) raw_device=$value ;;
        --binary) binary=$value ;;
        --prefix) prefix=$value ;;
    esac
done

valid_cidr() {
    local re='^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})/([0-9]{1,2})$'
    [[ $1 =~ $re ]] || return 1
    local parts=("${BASH_REMATCH[@]:1}") octet
    for octet in "${parts[@]:0:4}"; do
        [[ $octet =~ ^(0|[1-9][0-9]*)$ ]] && [ "$octet" -le 255 ] || return 1
    done
    [[ ${parts[4]} =~ ^([1-9]|[12][0-9]|30)$ ]]
}
valid_iface() { [ "$1" = none ] || [[ $1 =~ ^[A-Za-z0-9._-]{1,15}$ ]]; }

if [ -n "$walt_net_ip" ] && ! valid_cidr "$walt_net_ip"; then
    die_usage "--walt-net-ip '$walt_net_ip' is not an IPv4 address with a prefix of 30 or less, like 192.168.183.1/24"
fi
if [ -n "$raw_device" ] && ! valid_iface "$raw_device"; then
    die_usage "--raw-device '$raw_device' is not an interface name (or none)"
fi
if [ -n "$raw_device" ] && [ "$raw_device" != none ] && [ -z "$prefix" ] && [ ! -e "/sys/class/net/$raw_device" ]; then
    echo "$me: warning: there is no interface $raw_device on this machine (yet)" >&2
fi
if [ -n "$prefix" ]; then
    # --check only reads: a prefix that does not exist yet just has everything missing
    [ "$check" = 1 ] || mkdir -p "$prefix" 2>/dev/null || die "cannot create --prefix $prefix"
    if [ -d "$prefix" ]; then prefix=$(cd "$prefix" && pwd -P); else prefix=$(readlink -m "$prefix"); fi
    [ "$prefix" = / ] && prefix=""
    with_packages=0
fi
if [ -z "$binary" ]; then
    binary="$repo/.build/release/walt"
    if [ ! -x "$binary" ] && [ "$check" = 0 ]; then
        die "no release build at $binary: run 'make' first (or give --binary PATH)"
    fi
elif [ ! -x "$binary" ] && [ "$check" = 0 ]; then
    die "--binary $binary is not an executable file"
fi
if [ -z "$prefix" ] && [ "$check" = 0 ] && [ "$(id -u)" != 0 ]; then
    die "installing a server needs root (or use --prefix DIR to install the files elsewhere)"
fi

systemd_running=0
[ -z "$prefix" ] && [ -d /run/systemd/system ] && systemd_running=1

# ---------------------------------------------------------------------------- helpers
# Every step goes through these: in --check mode they report, otherwise they write only what
# differs (through a temporary file and rename), so a second run touches nothing.
changed=0
missing=0
note_change() { changed=$((changed + 1)); echo "  $1"; }
report() { missing=$((missing + 1)); echo "$1"; }

# put_file DEST MODE SOURCE: DEST gets SOURCE's bytes and MODE.
put_file() {
    local dest=$1 mode=$2 src=$3
    if [ -f "$dest" ] && [ ! -L "$dest" ] && cmp -s "$src" "$dest"; then
        if [ "$(stat -c %a "$dest")" != "$mode" ]; then
            if [ "$check" = 1 ]; then report "wrong mode: $dest (not $mode)"; return; fi
            chmod "$mode" "$dest"
            note_change "mode $mode: $dest"
        fi
        return
    fi
    local what=updated
    [ -e "$dest" ] || [ -L "$dest" ] || what=wrote
    if [ "$check" = 1 ]; then
        if [ "$what" = wrote ]; then report "missing: $dest"; else report "out of date: $dest"; fi
        return
    fi
    mkdir -p "$(dirname "$dest")"
    local tmp
    tmp=$(mktemp "$(dirname "$dest")/.install.XXXXXX")
    cp "$src" "$tmp"
    chmod "$mode" "$tmp"
    mv -f "$tmp" "$dest"
    note_change "$what $dest"
}

# put_text DEST MODE TEXT
put_text() {
    local tmp
    tmp=$(mktemp)
    printf '%s' "$3" >"$tmp"
    put_file "$1" "$2" "$tmp"
    rm -f "$tmp"
}

# put_link DEST TARGET: DEST is a symbolic link to TARGET.
put_link() {
    local dest=$1 target=$2
    if [ -L "$dest" ] && [ "$(readlink "$dest")" = "$target" ]; then
        return
    fi
    if [ "$check" = 1 ]; then report "missing: $dest -> $target"; return; fi
    mkdir -p "$(dirname "$dest")"
    ln -sfn "$target" "$dest"
    note_change "linked $dest -> $target"
}

# ---------------------------------------------------------------------------- server.conf
conf_path="$prefix/etc/walt/server.conf"
default_ip=192.168.183.1/24
default_raw=none

server_conf_text() { # IP RAW
    local raw=$2
    [ "$raw" = none ] && raw=null
    cat <<EOF

# WalT server configuration file.
# Written by walt-swift's Scripts/install.sh; edit it by hand, or run it again
# with --walt-net-ip / --raw-device to change those.

# network configuration
# ---------------------
network:
    # platform network
    walt-net:
        raw-device: $raw
        ip: $1

# image registries
# ----------------
registries:
-   label: hub
    api: docker-hub
    description: Public registry at hub.docker.com

# VPN configuration
# -----------------
vpn:
    enabled: false
EOF
}

# Sets network.walt-net.ip and/or .raw-device in an existing block-style server.conf, keeping
# everything else (other networks, database, registries, comments). Prints the new text;
# fails when there is no walt-net block to edit.
edit_server_conf() { # FILE IP RAW (empty: keep)
    local raw=$3
    [ "$raw" = none ] && raw=null
    awk -v ip="$2" -v raw="$raw" '
        function indent(s) { match(s, /^ */); return RLENGTH }
        function flush_missing(   pad) {
            pad = sprintf("%" key_indent "s", "")
            if (raw != "" && !seen_raw) print pad "raw-device: " raw
            if (ip != "" && !seen_ip) print pad "ip: " ip
        }
        {
            line = $0
            blank_or_comment = (line ~ /^[ \t]*(#.*)?$/)
            if (in_wn && !blank_or_comment && indent(line) <= wn_indent) { flush_missing(); in_wn = 0; done = 1 }
            if (!blank_or_comment && indent(line) == 0) in_net = (line ~ /^network:[ \t]*(#.*)?$/)
            if (in_net && !done && !in_wn && line ~ /^ +walt-net:[ \t]*(#.*)?$/) {
                in_wn = 1; found = 1; wn_indent = indent(line); key_indent = wn_indent + 4
                print line; next
            }
            if (in_wn && !blank_or_comment) {
                key_indent = indent(line)
                if (raw != "" && line ~ /^ *raw-device:/) { sub(/raw-device:.*/, "raw-device: " raw, line); seen_raw = 1 }
                if (ip != "" && line ~ /^ *ip:/) { sub(/ip:.*/, "ip: " ip, line); seen_ip = 1 }
                if (raw == "null" && line ~ /^ *vlan:/) next   # no VLAN without a raw device
            }
            print line
        }
        END {
            if (in_wn) flush_missing()
            if (!found) exit 3
        }' "$1"
}

ask_server_conf() {
    local answer interfaces="" d
    for d in /sys/class/net/*; do
        [ -e "$d/device" ] && interfaces="$interfaces ${d##*/}"
    done
    echo "No $conf_path yet: a few questions (Enter keeps the default)."
    walt_net_ip=$(ask "Server address on walt-net, with its prefix" "$default_ip" valid_cidr \
        "is not an IPv4 address with a prefix of 30 or less, like $default_ip")
    [ -n "$interfaces" ] && echo "Physical interfaces here:$interfaces"
    raw_device=$(ask "Interface the nodes' switch is plugged in, or none for virtual nodes only" "$default_raw" \
        valid_iface "is not an interface name")
}

# ask PROMPT DEFAULT CHECK PROBLEM: prompts (on stderr) until CHECK accepts the answer; prints it.
ask() {
    local answer
    while :; do
        read -r -p "$1 [$2]: " answer
        answer=${answer:-$2}
        if "$3" "$answer"; then echo "$answer"; return; fi
        echo "'$answer' $4" >&2
    done
}

# The text server.conf should have, or empty to leave the file alone.
conf_text=""
if [ -f "$conf_path" ]; then
    if [ -n "$walt_net_ip$raw_device" ]; then
        conf_text=$(edit_server_conf "$conf_path" "$walt_net_ip" "$raw_device") ||
            die "$conf_path has no 'network: walt-net:' block this script can edit; edit it by hand"
        conf_text+=$'\n'
    fi
else
    if [ -z "$walt_net_ip$raw_device" ] && [ -t 0 ] && [ "$check" = 0 ]; then
        ask_server_conf
    fi
    conf_text=$(server_conf_text "${walt_net_ip:-$default_ip}" "${raw_device:-$default_raw}")$'\n'
fi

# ---------------------------------------------------------------------------- packages
packages=(
    isc-dhcp-server     # walt-server-dhcpd
    tftpd-hpa           # walt-server-tftpd
    nfs-kernel-server   # the nodes' root file systems (may not start on every kernel)
    bind9               # walt-server-named
    lldpd               # walt-server-lldpd
    snmpd               # walt-server-snmpd
    postgresql          # the daemon's database (its own cluster by default)
    libpq5              # loaded by walt-server-daemon
    iproute2            # walt-net-config
    ebtables            # walt-net-config's bridge filter
    isc-dhcp-client     # networks with "ip: dhcp" in server.conf
)
echo_section() { [ "$check" = 1 ] || echo "$1"; }

if [ "$with_packages" = 1 ]; then
    echo_section "Debian packages"
    wanted=()
    for p in "${packages[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        [ "$status" = "install ok installed" ] || wanted+=("$p")
    done
    if [ ${#wanted[@]} -gt 0 ]; then
        if [ "$check" = 1 ]; then
            for p in "${wanted[@]}"; do report "missing package: $p"; done
        else
            command -v apt-get >/dev/null || die "apt-get not found: install ${wanted[*]} yourself, then run again with --no-packages"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -q || die "apt-get update failed (see above)"
            apt-get install -y -q --no-install-recommends "${wanted[@]}" ||
                die "apt-get install ${wanted[*]} failed (see above); fix that and run again"
            note_change "installed ${wanted[*]}"
        fi
    fi
fi

# ---------------------------------------------------------------------------- files
echo_section "Files${prefix:+ under $prefix}"
bindir="$prefix/usr/local/bin"
if [ -x "$binary" ]; then
    put_file "$bindir/walt" 755 "$binary"
elif [ ! -f "$bindir/walt" ]; then
    report "missing: $bindir/walt"
fi
for name in walt-server-daemon walt-dhcp-event walt-server-lldpd walt-net-config walt-autocomplete-helper; do
    put_link "$bindir/$name" walt
done
# Shell completion, as upstream's installer puts it on the server (generated by the binary
# itself, so it always matches its commands; skipped when the binary cannot run here).
completion_tmp=$(mktemp -d)
if WALT_PERSONALITY=walt "$bindir/walt" advanced dump-bash-autocomplete > "$completion_tmp/bash" 2>/dev/null &&
    WALT_PERSONALITY=walt "$bindir/walt" advanced dump-zsh-autocomplete > "$completion_tmp/zsh" 2>/dev/null; then
    put_file "$prefix/etc/bash_completion.d/walt" 644 "$completion_tmp/bash"
    put_file "$prefix/usr/local/share/zsh/site-functions/_walt" 644 "$completion_tmp/zsh"
fi
rm -rf "$completion_tmp"
put_file "$prefix/usr/local/lib/walt/walt-server-cleanup" 755 "$units_src/walt-server-cleanup"

unitdir="$prefix/etc/systemd/system"
for src in "$units_src"/*.service; do
    unit=${src##*/}
    put_file "$unitdir/$unit" 644 "$src"
    # enabled as upstream's installer does it: the [Install] links, without systemctl enable
    for target in $(sed -n 's/^WantedBy=//p' "$src"); do
        put_link "$unitdir/$target.wants/$unit" "/etc/systemd/system/$unit"
    done
done

# snmpd: AgentX master for lldpd; the listening address is on the unit's command line.
put_text "$prefix/var/lib/walt/services/snmpd/snmpd.conf" 644 "\
# Written by walt-swift's Scripts/install.sh for walt-server-snmpd.service.
# snmpd listens on the server's walt-net address (given on its command line).
rocommunity private
rouser authOnlyUser
master agentx
agentXSocket /run/walt/snmpd/agentx-master.socket
"

if [ -n "$conf_text" ]; then
    put_text "$conf_path" 644 "$conf_text"
elif [ ! -f "$conf_path" ]; then
    report "missing: $conf_path"
fi

# AppArmor: dhcpd runs walt-dhcp-event on each lease (on commit). That name is a symlink,
# and AppArmor checks the file it resolves to, so the override names the real binary.
real_binary=$(readlink -m "$bindir/walt")
real_binary=${real_binary#"$prefix"}
apparmor_dhcpd="# Written by walt-swift's Scripts/install.sh: what WalT's dhcpd needs.
/var/lib/walt/services/dhcpd/*.conf r,
/var/lib/walt/services/dhcpd/*.leases* lrw,
/run/walt/dhcpd/dhcpd.pid rw,
# walt-dhcp-event (a symlink to this file), run on each lease
$real_binary ux,
"
apparmor_named="# Written by walt-swift's Scripts/install.sh: what WalT's named needs.
/var/lib/walt/services/named/*.conf r,
/var/lib/walt/services/named/*.zone r,
/var/lib/walt/services/named/tmp* rw,
/var/lib/walt/services/named/managed-keys.* rw,
/run/walt/named/named.pid rw,
"
apparmor_changed=()
for profile in usr.sbin.dhcpd usr.sbin.named; do
    before=$changed
    if [ "$profile" = usr.sbin.dhcpd ]; then text=$apparmor_dhcpd; else text=$apparmor_named; fi
    put_text "$prefix/etc/apparmor.d/local/$profile" 644 "$text"
    [ "$changed" = "$before" ] || apparmor_changed+=("$profile")
done

# ---------------------------------------------------------------------------- check report
if [ "$check" = 1 ]; then
    if [ "$systemd_running" = 1 ]; then
        for unit in walt-server-netconfig.service walt-server.service; do
            systemctl is-active --quiet "$unit" || report "not running: $unit"
        done
        for unit in tftpd-hpa.service isc-dhcp-server.service named.service snmpd.service lldpd.service; do
            if [ "$(systemctl is-enabled "$unit" 2>/dev/null || true)" = enabled ]; then
                report "still enabled: $unit"
            fi
        done
    fi
    if [ "$missing" -gt 0 ]; then
        echo "$missing missing or out of date"
        exit 1
    fi
    echo "all present"
    exit 0
fi

[ "$changed" -gt 0 ] || echo "  nothing to change"

# ---------------------------------------------------------------------------- services
if [ -n "$prefix" ]; then
    echo "** WalT server files installed under $prefix; nothing started (--prefix). **"
    exit 0
fi

if [ ${#apparmor_changed[@]} -gt 0 ]; then
    if command -v apparmor_parser >/dev/null && [ -d /sys/kernel/security/apparmor ]; then
        for profile in "${apparmor_changed[@]}"; do
            if [ -f "/etc/apparmor.d/$profile" ]; then
                apparmor_parser -r "/etc/apparmor.d/$profile" ||
                    echo "  warning: apparmor_parser -r /etc/apparmor.d/$profile failed"
            fi
        done
        echo "  reloaded AppArmor profiles: ${apparmor_changed[*]}"
    else
        echo "  AppArmor is not active here: profiles not reloaded"
    fi
fi

if [ "$systemd_running" = 0 ]; then
    echo "systemd is not PID 1 here: no service started. Start the server by hand:"
    echo "  walt-net-config up && walt-server-daemon   (see docs/install.md, 'Without systemd')"
    echo "** WalT server installed; services not started (no systemd). **"
    exit 0
fi

echo "Services"
start_server() {
    # returns once walt-server-daemon has sent READY=1
    systemctl start walt-server.service ||
        die "walt-server.service did not start: journalctl -u walt-server tells why"
}
# The distribution's own units of these daemons would take the same ports.
for unit in tftpd-hpa.service isc-dhcp-server.service named.service snmpd.service lldpd.service; do
    systemctl cat "$unit" >/dev/null 2>&1 || continue
    if [ "$(systemctl is-enabled "$unit" 2>/dev/null || true)" = enabled ]; then
        systemctl disable --quiet "$unit"
        echo "  disabled $unit"
    fi
    if systemctl is-active --quiet "$unit"; then
        systemctl stop "$unit"
        echo "  stopped $unit"
    fi
done
if [ "$changed" -gt 0 ]; then
    systemctl daemon-reload
    # restarts every unit that requires it, walt-server included
    systemctl restart walt-server-netconfig.service ||
        die "walt-server-netconfig.service failed: journalctl -u walt-server-netconfig tells why"
    start_server
    echo "  restarted walt-server-netconfig.service, started walt-server.service"
elif ! systemctl is-active --quiet walt-server.service; then
    start_server
    echo "  started walt-server.service"
else
    echo "  walt-server.service is running"
fi
echo "** Your WalT server is ready. **"
