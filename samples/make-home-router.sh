#!/usr/bin/env bash
# Rebuilds samples/home-router.log, the realistic netfilter log that the README's first command
# analyses. It is deterministic: the same fwseen-gen seed gives the same file.
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
} > samples/home-router.log
wc -l samples/home-router.log
