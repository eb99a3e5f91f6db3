#!/bin/sh
# Red Steward (红色管家): the program is the bundle in /opt/red-steward (installer/README.md).
# RED_STEWARD_PREFIX points elsewhere (the build's check of an extracted .deb).
exec "${RED_STEWARD_PREFIX:-/opt/red-steward}/red-steward" "$@"
