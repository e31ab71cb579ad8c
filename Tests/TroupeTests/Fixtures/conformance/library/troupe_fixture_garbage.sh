#!/bin/sh
echo "this is not a module result"
exit 3
