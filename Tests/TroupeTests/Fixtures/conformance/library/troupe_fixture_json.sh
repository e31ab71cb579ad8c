#!/bin/sh
# WANT_JSON: the arguments arrive as a JSON file named by $1.
echo "noise before the result"
printf '{"changed": true, "received": %s}\n' "$(cat "$1")"
