#!/bin/sh
# Old-style module: $1 names a file of shell-quoted key=value words.
. "$1"
if [ "$state" = "absent" ]; then changed=false; else changed=true; fi
printf '{"changed": %s, "name": "%s", "check": "%s"}\n' "$changed" "$name" "$_ansible_check_mode"
