#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# wifi-grid-compare.sh: netgym's large Wi-Fi scenario (scenarios/wifi-grid)
# and its ns-3 3.37 peer (bench/ns3/wifi-grid.cc) side by side on the same
# geometry: netgym writes the node positions (-positions) and ns-3 reads
# them. Runs are interleaved, one program at a time (netgym, ns-3, netgym,
# ns-3, ...), each under /usr/bin/time for its peak RSS; prints every JSON
# line, then the medians and the ns-3/netgym ratios.
#
#   bench/ns3/wifi-grid-compare.sh                      # 1,000 nodes, 1 s, 3 runs
#   bench/ns3/wifi-grid-compare.sh -n 10000 -d 0.02 -w 0.01 -r 3
#   bench/ns3/wifi-grid-compare.sh -R                   # run numbers 1..3
#   bench/ns3/wifi-grid-compare.sh -I -R -w 1           # infrastructure: association too
#   bench/ns3/wifi-grid-compare.sh -I -J 0.1 -R -w 1    # ... stations powering on over 100 ms
#
# Besides the timings it prints the transmissions by MAC frame type over
# the whole run (tx_types, ns-3's WifiMacHeader::GetTypeString names) and
# what the PHYs did with the PPDUs that
# reached them, per transmission on each side: frames received, payloads
# failed (ns-3's RxError) and drops by ns-3's WifiPhyRxfailureReason
# (PhyRxDrop; netgym's mac80211.PhyCounters under the same names). With -R
# round k uses run number k on both sides, netgym writing round k's
# positions for ns-3: the same geometry within a round, other geometries and
# packet times across rounds, so that the counts' spread on each side shows
# beside the difference between the two.
#
# Options: -n nodes (1000), -d traffic window s (1), -w warm-up s (0.5),
# -D drain s (0.1), -r runs of each (3), -R (vary the run number), -s seed
# (1), -S every PHY's
# RxSensitivity in dBm (-101, ns-3's default; netgym -rx-sensitivity, ns-3
# --ns3::WifiPhy::RxSensitivity), -o directory for the
# raw JSON and positions (a temporary one). ns-3 takes about 90 s of wall
# time per simulated second at 1,000 nodes and about 5,600 s at 10,000 (a
# 20 ms window: 2 min a run), netgym about 1.4 s and 21 s (RESULTS.md
# section 11). -I runs infrastructure BSSs on both sides (netgym -infra,
# ns-3 --infra=1: ApWifiMac, StaWifiMac) and adds the stations'
# association: how many were associated when traffic started, and the
# first, 10th, 50th, 90th percentile and last first-association times,
# and the same of each station's delay from power-on to association. -J
# seconds (with -I) staggers the stations' power-on over [0, J) (netgym
# -start-jitter): netgym writes each station's power-on time (-starts) and
# ns-3 starts that station's first scan then (--starts, DelayedStaWifiMac).
# The ns-3 program is (re)built with ./build.sh when it is missing or older
# than its source.
set -euo pipefail
# The whole script is one function, read before it runs: editing the file
# during a run (which takes minutes) cannot derail it.
main() {
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
nodes=1000 dur=1 warm=0.5 drain=0.1 runs=3 seed=1 sens=-101 out="" vary=0 infra=0 jitter=""
while getopts "n:d:w:D:r:Rs:S:o:IJ:h" o; do
    case "$o" in
    n) nodes="$OPTARG" ;;
    d) dur="$OPTARG" ;;
    w) warm="$OPTARG" ;;
    D) drain="$OPTARG" ;;
    r) runs="$OPTARG" ;;
    R) vary=1 ;;
    s) seed="$OPTARG" ;;
    S) sens="$OPTARG" ;;
    o) out="$OPTARG" ;;
    I) infra=1 ;;
    J) jitter="$OPTARG" ;;
    *) sed -n '3,45p' "$0" >&2; exit 2 ;;
    esac
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
out="${out:-$tmp}"
mkdir -p "$out"

if [ ! -x "$here/bin/wifi-grid" ] || [ "$here/wifi-grid.cc" -nt "$here/bin/wifi-grid" ]; then
    "$here/build.sh"
fi
(cd "$root" && go build -o "$tmp/wifi-grid" ./scenarios/wifi-grid)

pos="$out/positions-$nodes-seed$seed.txt"
common_go=(-nodes "$nodes" -duration "${dur}s" -warmup "${warm}s" -seed "$seed" -rx-sensitivity "$sens" -json)
common_ns3=(--nodes="$nodes" --duration="$dur" --warmup="$warm" --drain="$drain" --seed="$seed" --positions="$pos"
    --ns3::WifiPhy::RxSensitivity="$sens")
if [ "$infra" = 1 ]; then
    common_go+=(-infra)
    common_ns3+=(--infra=1)
fi
if [ -n "$jitter" ]; then
    [ "$infra" = 1 ] || { echo "wifi-grid-compare.sh: -J needs -I" >&2; exit 2; }
    common_go+=(-start-jitter "${jitter}s")
fi
# netgym's drain is a Config field without a flag: its default is 0.1 s.
[ "$drain" = "0.1" ] || echo "note: netgym's wifi-grid has no -drain flag; its drain stays 0.1 s" >&2

# one label, then the command: prints the program's JSON with the process's
# peak RSS (KB) from /usr/bin/time added as max_rss_kb.
measure() {
    local label="$1"
    shift
    /usr/bin/time -f "%M" -o "$tmp/rss" "$@" >"$tmp/json"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["max_rss_kb"]=int(open(sys.argv[2]).read().split()[-1]); d["side"]=sys.argv[3]; print(json.dumps(d))' \
        "$tmp/json" "$tmp/rss" "$label" | tee -a "$out/runs.jsonl"
}

: >"$out/runs.jsonl"
echo "# $(date -u +%FT%TZ) nodes=$nodes duration=$dur warmup=$warm drain=$drain runs=$runs seed=$seed rx_sensitivity=$sens infra=$infra start_jitter=${jitter:-0} ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
for r in $(seq "$runs"); do
    # With -J, netgym writes the round's power-on times for ns-3 to read.
    go_starts=() ns3_starts=()
    if [ -n "$jitter" ]; then
        st="$out/starts-$nodes-seed$seed-run$([ "$vary" = 1 ] && echo "$r" || echo 1).txt"
        go_starts=(-starts "$st") ns3_starts=(--starts="$st")
    fi
    if [ "$vary" = 1 ]; then
        rpos="$out/positions-$nodes-seed$seed-run$r.txt"
        measure netgym "$tmp/wifi-grid" "${common_go[@]}" "${go_starts[@]}" -run "$r" -positions "$rpos"
        measure ns-3 "$here/bin/wifi-grid" "${common_ns3[@]}" "${ns3_starts[@]}" --run="$r" --positions="$rpos"
        continue
    fi
    if [ "$r" = 1 ]; then
        measure netgym "$tmp/wifi-grid" "${common_go[@]}" "${go_starts[@]}" -positions "$pos"
    else
        measure netgym "$tmp/wifi-grid" "${common_go[@]}"
    fi
    measure ns-3 "$here/bin/wifi-grid" "${common_ns3[@]}" "${ns3_starts[@]}"
done

python3 - "$out/runs.jsonl" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
side = {s: [r for r in rows if r["side"] == s] for s in ("netgym", "ns-3")}
def med(s, k):
    v = [r[k] for r in side[s] if k in r]
    return statistics.median(v) if v else float("nan")
def rng(s, k):
    v = [r[k] for r in side[s]]
    return f"{min(v):.4g}-{max(v):.4g}"
print("| figure | netgym median (range) | ns-3 3.37 median (range) | ns-3 / netgym |")
print("|---|---|---|---|")
for k in ("wall_per_sim_s", "cpu_per_sim_s", "traffic_wall_s", "build_wall_s", "warmup_wall_s", "events_per_sim_s", "events_per_wall_s", "max_rss_kb"):
    a, b = med("netgym", k), med("ns-3", k)
    print(f"| {k} | {a:.4g} ({rng('netgym', k)}) | {b:.4g} ({rng('ns-3', k)}) | {b / a:.3g} |")
for s in ("netgym", "ns-3"):
    r = side[s][0]
    print(f"{s}: {r['nodes']} nodes, sent {r['sent']}, received {r['received']}, delivery {r['delivery']:.4f}, "
          f"transmissions {r['transmissions']}, events {r['traffic_events']} in the window "
          f"({r['traffic_events'] / max(r['transmissions'], 1):.0f} per transmission), peak RSS per node "
          f"{med(s, 'max_rss_kb') * 1024 / r['nodes']:.0f} B")
# What the PHYs did, per transmission (data frames and ACKs), each run's
# counts divided by its own transmissions.
def per_tx(r, k):
    n = r.get("phy_drops", {}).get(k, 0) if k not in ("phy_rx_ok", "phy_rx_error") else r.get(k, 0)
    return n / max(r["transmissions"], 1)
if all("assoc_ms" in r for r in rows):
    print()
    print("| stations' first association | netgym median (range) | ns-3 3.37 median (range) | netgym / ns-3 |")
    print("|---|---|---|---|")
    v = {s: [r["associated"] for r in side[s]] for s in side}
    print(f"| associated when traffic starts | {statistics.median(v['netgym']):g} ({min(v['netgym'])}-{max(v['netgym'])}) | "
          f"{statistics.median(v['ns-3']):g} ({min(v['ns-3'])}-{max(v['ns-3'])}) | - |")
    for key, what in (("assoc_ms", ""), ("assoc_delay_ms", " after power-on")):
        if not all(key in r for r in rows):
            continue
        for q in ("first", "p10", "median", "p90", "last"):
            v = {s: [r[key][q] for r in side[s]] for s in side}
            a, b = statistics.median(v["netgym"]), statistics.median(v["ns-3"])
            print(f"| {q}{what}, ms | {a:.6g} ({min(v['netgym']):.6g}-{max(v['netgym']):.6g}) | "
                  f"{b:.6g} ({min(v['ns-3']):.6g}-{max(v['ns-3']):.6g}) | {a / b:.4f} |")
# What went on the air, by MAC frame type (whole run), medians of the runs.
types = sorted({k for r in rows for k in r.get("tx_types", {})})
if types:
    print()
    print("| transmissions (whole run) | netgym median (range) | ns-3 3.37 median (range) | netgym / ns-3 |")
    print("|---|---|---|---|")
    for k in ["all"] + types:
        v = {s: [r["transmissions"] if k == "all" else r.get("tx_types", {}).get(k, 0) for r in side[s]] for s in side}
        a, b = statistics.median(v["netgym"]), statistics.median(v["ns-3"])
        ratio = f"{a / b:.3f}" if b else "-"
        print(f"| {k} | {a:g} ({min(v['netgym'])}-{max(v['netgym'])}) | {b:g} ({min(v['ns-3'])}-{max(v['ns-3'])}) | {ratio} |")
keys = ["phy_rx_ok", "phy_rx_error"] + sorted({k for r in rows for k in r.get("phy_drops", {})})
print()
print("| per transmission | netgym median (range) | ns-3 3.37 median (range) | netgym / ns-3 |")
print("|---|---|---|---|")
for k in keys:
    v = {s: [per_tx(r, k) for r in side[s]] for s in side}
    a, b = statistics.median(v["netgym"]), statistics.median(v["ns-3"])
    ratio = f"{a / b:.3f}" if b else "-"
    print(f"| {k} | {a:.4g} ({min(v['netgym']):.4g}-{max(v['netgym']):.4g}) | "
          f"{b:.4g} ({min(v['ns-3']):.4g}-{max(v['ns-3']):.4g}) | {ratio} |")
EOF
}
main "$@"
