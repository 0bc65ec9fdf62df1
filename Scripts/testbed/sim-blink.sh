#!/bin/sh
# /bin/blink of a simulated node (its init installs it there): a board blinks a LED so that
# someone finds it in the room; this one writes the state to /run/blink and says it.
#   blink 1|0
case ${1:-} in
    1|0)
        echo "$1" > /run/blink
        echo "$(date +%T) $(hostname): blink $1" ;;
    *)
        echo "usage: blink 1|0" >&2
        exit 1 ;;
esac
