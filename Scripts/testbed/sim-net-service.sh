#!/bin/sh
# One connection to a simulated node's net service on TCP 12346 (sim-node.sh runs
# `busybox nc -ll -p 12346 -e` with this: stdin and stdout are the socket), as upstream's
# walt-net-service-handler: "MODE single" (one request, the server's way) or "MODE multi"
# (until CLOSE), then PING, REBOOT, BLINK 0|1, DMESG, SHELL, CLOSE; 15 s without a line
# closes the connection. REBOOT answers OK, then asks the init (PID 1) for a soft reboot.
# It runs on the init's root; BLINK, DMESG and SHELL run in the node's root for sessions
# (the image's, /sim/image, when sim-node.sh mounted one: see /run/walt/root).
set -u
log() { echo "$(date +%T) $(hostname): net service: $*" >&2; }
# Runs a command in the node's root.
in_root() {
    if [ "$(cat /run/walt/root 2>/dev/null)" = image ]; then
        /sim/bin/busybox chroot /sim/image "$@"
    else
        "$@"
    fi
}

# SHELL: a shell whose input ends after 15 s of silence.
shell_with_timeout() {
    exec 7>&1
    {
        while IFS= read -r -t 15 input; do printf '%s\n' "$input"; done
        echo SHELL-TIMEOUT >&7
    } | if [ "$(cat /run/walt/root 2>/dev/null)" = image ]; then in_root /bin/sh -i 2>&1; else busybox sh -i 2>&1; fi
    exec 7>&-
}

mode=unknown
while :; do
    if ! IFS= read -r -t 15 line; then
        echo "TIMEOUT Closing on my side."
        break
    fi
    if [ -z "$line" ]; then
        log "empty read, stopping"
        break
    fi
    set -- $line
    [ $# -gt 0 ] || continue
    req=$1
    shift
    args="$*"
    if [ "$req" = CLOSE ]; then
        echo "OK Closing on my side."
        break
    fi
    if [ "$req" = MODE ]; then
        mode=$args
        continue
    fi
    if [ "$mode" = unknown ]; then
        echo 'KO Start by specifying "MODE [single|multi]". Closing on my side.'
        break
    fi
    case $req in
        PING) echo OK ;;
        DMESG) echo OK; echo; busybox dmesg ;;
        SHELL) echo OK; echo; shell_with_timeout; echo END-OF-SHELL ;;
        REBOOT)
            echo OK
            log "REBOOT"
            kill -USR1 1 ;;
        BLINK)
            # /bin/blink is the image's (sim-blink.sh in the simulated-node image, and on the
            # host's root); its output is logged.
            if in_root test -x /bin/blink; then
                if in_root /bin/blink $args >&2; then
                    echo OK
                else
                    echo "KO /bin/blink returned a non-zero error code"
                fi
            else
                echo "KO /bin/blink unavailable or not executable on image"
            fi ;;
    esac
    [ "$mode" = multi ] || break
done
exit 0
