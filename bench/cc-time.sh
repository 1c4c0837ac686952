#!/bin/sh
# bench/cc-time.sh — a compiler wrapper for bench/regen.sh's PROFILE=1: runs $CC_TIME_REAL (default cc) with the
# arguments given and appends "user sys maxrss_kB output" of that compiler process (its children included: cc1,
# as, ld) to $CC_TIME_LOG, so a build's CPU can be summed per object and per kind of object.
out=; prev=
for a in "$@"; do [ "$prev" = -o ] && out=$a; prev=$a; done
exec /usr/bin/time -a -o "${CC_TIME_LOG:?}" -f "%U %S %M ${out:--}" ${CC_TIME_REAL:-cc} "$@"
