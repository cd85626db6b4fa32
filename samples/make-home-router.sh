#!/usr/bin/env bash
# Rebuilds samples/home-router.log, the realistic netfilter log that the README's first command
# analyses. It is deterministic: the same fwseen-gen seed gives the same file. The syslog headers
# are rewritten in the RFC 3339 form rsyslog writes with its high-precision file format
# (2024-03-01T02:00:00+00:00), so that the report does not depend on the file's modification
# year or on the local time zone.
#
# The log has three parts, in time order:
#   1. fwseen-gen's catalogue (every finding kind once, two hours apart), from 1 March;
#   2. fwseen-gen's realistic mix (background traffic with patterns woven in), moved to 5 March;
#   3. the eleven real UFW lines from tests/data/netfilter/csirtg-ufw.log (MPL-2.0, see SOURCES.md),
#      moved from 23 November and 18 April to 5 March, as if a second machine logged to the same syslog.
set -euo pipefail
cd "$(dirname "$0")/.."
seed=7
gen=(cargo run --quiet -p fwseen-gen --)
{
    "${gen[@]}" --format netfilter --catalogue --seed "$seed"
    "${gen[@]}" --format netfilter --lines 2500 --seed "$seed" | sed 's/^Mar  1 /Mar  5 /'
    sed -e "s/^Nov 23 /Mar  5 /" -e "s/^Apr 18 /Mar  5 /" tests/data/netfilter/csirtg-ufw.log
} | awk '
    BEGIN {
        split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", names, " ")
        for (i = 1; i <= 12; i++) month[names[i]] = sprintf("%02d", i)
    }
    match($0, /^[A-Z][a-z][a-z] +[0-9]+ [0-9][0-9]:[0-9][0-9]:[0-9][0-9] /) {
        split(substr($0, 1, RLENGTH), part, " ")
        printf "2024-%s-%02dT%s+00:00 %s\n", month[part[1]], part[2], part[3], substr($0, RLENGTH + 1)
        next
    }
    { print }
' > samples/home-router.log
wc -l samples/home-router.log
