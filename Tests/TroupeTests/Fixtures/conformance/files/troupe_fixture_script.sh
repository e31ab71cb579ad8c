#!/bin/sh
echo "script args: $*"
[ "$1" = fail ] && exit 4
exit 0
