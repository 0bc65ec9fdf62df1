#!/bin/sh
# dropbear's forced command (-c) on a simulated node that runs an image: every SSH session
# runs in the image's root (/sim/image, mounted by sim-node.sh), as root, in /root, with the
# image's /bin/sh: the command the client sent (SSH_ORIGINAL_COMMAND, as `sh -c` would run
# it), or a login shell when there is none. dropbear itself stays on the init's root, with
# the host's libraries; this script runs there too, with the node's busybox.
root=/sim/image
command=${SSH_ORIGINAL_COMMAND:-}
unset SSH_ORIGINAL_COMMAND
export SHELL=/bin/sh HOME=/root
# chroot starts in /: the inner shell moves to root's home first.
if [ -n "$command" ]; then
    exec /sim/bin/busybox chroot "$root" /bin/sh -c 'cd /root 2>/dev/null; exec /bin/sh -c "$0"' "$command"
fi
exec /sim/bin/busybox chroot "$root" /bin/sh -c 'cd /root 2>/dev/null; exec /bin/sh -l'
