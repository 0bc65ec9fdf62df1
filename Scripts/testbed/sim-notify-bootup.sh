#!/bin/sh
# The bootup notification of a simulated node (sim-node.sh) and of a virtual node's image
# (walt-vnode-init.sh), as walt-notify-bootup: REQ_NOTIFY_BOOTUP_STATUS on the server's
# TCP 12347; the server answers OK (within 5 s), its first byte marking the node booted;
# the connection is then held with an empty line every 20 s, and its end means the server
# went away: the node reboots (SIGUSR1 to its init). No answer: two more tries, 5 s apart.
#   sim-notify-bootup.sh SERVER NAME [READY_FILE]
# READY_FILE is touched once the notification is sent (/run/uptime-ready: what changes
# after it is the user's work, which `walt node save` keeps).
server=${1:?SERVER} name=${2:?NAME} ready=${3:-}
say() { echo "$(date +%T) $name: $*"; }

# Prints "connected" once the connection ends after an OK, else "failed".
notify_once() {
    stop=/run/walt-notify.stop
    rm -f "$stop"
    {
        echo REQ_NOTIFY_BOOTUP_STATUS
        while [ ! -e "$stop" ]; do
            echo
            i=0
            while [ $i -lt 20 ] && [ ! -e "$stop" ]; do sleep 1; i=$((i + 1)); done
        done
    } | {
        nc "$server" 12347 2>/dev/null
        echo END
    } | {
        result=failed
        if read -t 5 answer && [ "$answer" = OK ]; then
            say "bootup notification sent" >&2
            [ -z "$ready" ] || touch "$ready"
            read -r end
            result=connected
        fi
        touch "$stop"
        echo $result
    }
}

retries=2
while :; do
    result=$(notify_once)
    if [ "$result" = failed ] && [ $retries -gt 0 ]; then
        retries=$((retries - 1))
        say "bootup notification: no answer, trying again in 5 s"
        sleep 5
        continue
    fi
    say "bootup notification: lost the server ($result), rebooting"
    kill -USR1 1
    exit 0
done
