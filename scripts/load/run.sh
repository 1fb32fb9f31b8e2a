#!/usr/bin/env bash
# Load test of `tutti serve` with SIPp as the callers, on loopback (issue 4, "Figures to report").
#
#   scripts/load/run.sh [CALLS [HOLD_S]]        defaults: 2000 calls, 60 s
#
# CALLS G.711 (PCMU) calls in rooms of ROOM_SIZE, placed by one SIPp at RATE calls/s, each
# streaming a looped tone with rtp_stream. Once every call is up and SETTLE_S more seconds have
# passed, the script measures a window of HOLD_S seconds: tutti's CPU (utime+stime from
# /proc/PID/stat), SIPp's CPU, the machine's, and the deltas of tutti's /api/stats counters.
# Then the calls hang up, SIPp's own verdict is read, and scripts/load/summarize.py prints the
# figures and PASS or FAIL (the criteria are in docs/benchmarks.md, "tutti serve under SIPp load").
#
# Everything of the run (config, logs, snapshots, summary.json) goes to OUT (a new directory
# under /tmp unless set). The exit status is 0 on PASS, 1 on FAIL, 2 when the run could not be
# made (ports busy, server did not start, ...).
#
# Environment (defaults in brackets):
#   TUTTI        the binary                          [build/release/tools/tutti]
#   THREADS      engine.threads                      [2]
#   RTP_THREADS  rtp.threads (media threads), when set; binaries before 2e32671 lack the key
#   ROOM_SIZE    callers per room                    [10]
#   ROOM_BASE    first room number                   [3000]
#   RATE         SIPp call rate, calls/s             [200]
#   SETTLE_S     wait after the last call is up      [5]
#   SIP_PORT     tutti's SIP port                    [35060]
#   HTTP_PORT    tutti's HTTP port                   [38080]
#   RTP_PORTS    tutti's RTP range LOW-HIGH          [40000-49999]
#   SIPP_PORT    SIPp's SIP port                     [35062]
#   SIPP_MEDIA_PORTS  SIPp's media range LOW-HIGH    [50000-59999]
#   SIPP_RTP_TASKS    SIPp -rtp_threadtasks          [100]
#   REALTIME     engine.realtime_priority (SCHED_FIFO for the tick clock), e.g. 10
#   NICE         if set, tutti and SIPp run under `nice -n NICE` (e.g. -10 on a shared machine)
#   OUT          where the run's files go            [mktemp -d /tmp/tutti-load.XXXXXX]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

calls=${1:-2000}
hold_s=${2:-60}
tutti=${TUTTI:-$repo/build/release/tools/tutti}
threads=${THREADS:-2}
room_size=${ROOM_SIZE:-10}
room_base=${ROOM_BASE:-3000}
rate=${RATE:-200}
settle_s=${SETTLE_S:-5}
sip_port=${SIP_PORT:-35060}
http_port=${HTTP_PORT:-38080}
rtp_ports=${RTP_PORTS:-40000-49999}
sipp_port=${SIPP_PORT:-35062}
sipp_media_ports=${SIPP_MEDIA_PORTS:-50000-59999}
sipp_rtp_tasks=${SIPP_RTP_TASKS:-100}
nice_cmd=()
[[ -n ${NICE:-} ]] && nice_cmd=(nice -n "$NICE")
out=${OUT:-$(mktemp -d /tmp/tutti-load.XXXXXX)}
mkdir -p "$out"

die() { echo "run.sh: $*" >&2; exit 2; }

(( calls > 0 && calls % room_size == 0 )) || die "CALLS ($calls) must be a multiple of ROOM_SIZE ($room_size)"
rooms=$(( calls / room_size ))
rtp_low=${rtp_ports%-*}; rtp_high=${rtp_ports#*-}
media_low=${sipp_media_ports%-*}; media_high=${sipp_media_ports#*-}
(( (rtp_high - rtp_low + 1) / 2 >= calls )) || die "RTP_PORTS $rtp_ports has fewer than $calls port pairs"
(( (media_high - media_low + 1) / 2 >= calls + 2 )) || die "SIPP_MEDIA_PORTS too small for $calls calls"
[[ -x $tutti ]] || die "no binary $tutti (cmake --build build/release --target tutti)"
command -v sipp > /dev/null || die "sipp not found (Debian: sip-tester)"

# --- ports: the fixed ones must be free; busy ports inside the ranges are only reported, as
# tutti and SIPp both skip a port they cannot bind.
udp_busy=$(ss -Hlun | awk '{print $4}' | sed 's/.*://' | sort -un)
tcp_busy=$(ss -Hltn | awk '{print $4}' | sed 's/.*://' | sort -un)
for p in "$sip_port" "$sipp_port"; do
  grep -qx "$p" <<< "$udp_busy" && die "UDP port $p is in use"
done
grep -qx "$http_port" <<< "$tcp_busy" && die "TCP port $http_port is in use"
in_range() { awk -v lo="$1" -v hi="$2" '$1 >= lo && $1 <= hi' <<< "$udp_busy" | wc -l; }
echo "busy UDP ports: $(in_range "$rtp_low" "$rtp_high") in tutti's $rtp_ports," \
  "$(in_range "$media_low" "$media_high") in SIPp's $sipp_media_ports" | tee "$out/ports.txt"

# --- the run's files
{
  echo "sip:"
  echo "  listen: \"127.0.0.1:$sip_port\""
  echo "rtp:"
  echo "  ports: \"$rtp_ports\""
  [[ -n ${RTP_THREADS:-} ]] && echo "  threads: $RTP_THREADS"
  echo "http:"
  echo "  listen: \"127.0.0.1:$http_port\""
  echo "engine:"
  # 8 kHz rooms: every caller is G.711 (8 kHz), so nothing is resampled on the way in or out.
  echo "  rate_hz: 8000"
  echo "  tick_ms: 20"
  echo "  threads: $threads"
  [[ -n ${REALTIME:-} ]] && echo "  realtime_priority: $REALTIME"
  echo "rooms:"
  for (( r = 0; r < rooms; r++ )); do
    echo "  - name: load-$(( room_base + r ))"
    echo "    number: \"$(( room_base + r ))\""
    echo "    max_participants: $room_size"
    echo "    entry_tones: false"
  done
} > "$out/serve.yaml"
{
  echo "SEQUENTIAL"
  for (( r = 0; r < rooms; r++ )); do echo "$(( room_base + r ))"; done
} > "$out/rooms.csv"
python3 "$here/make_tone.py" "$out/tone.ulaw"
cp "$here/uac_pcmu.xml" "$out/"

# Each call holds long enough that all calls are still up at the end of the window:
# ramp (calls/rate) + settle + hold + 15 s of margin for the ramp being slower than asked.
ramp_s=$(( (calls + rate - 1) / rate ))
pause_ms=$(( (ramp_s + settle_s + hold_s + 15) * 1000 ))
sipp_timeout_s=$(( pause_ms / 1000 + ramp_s + 60 ))

tutti_pid=""; sipp_pid=""; sampler_pid=""
alive() {  # a zombie (exited, not yet waited for) counts as gone
  [[ -n $1 && -r /proc/$1/stat ]] && [[ $(cut -d')' -f2 "/proc/$1/stat" | awk '{print $1}') != Z ]]
}
stop_pid() {  # stop_pid PID SIGNAL: signal, wait up to 15 s, then SIGKILL
  local pid=$1 sig=$2
  alive "$pid" || return 0
  kill "-$sig" "$pid" 2> /dev/null || true
  for _ in $(seq 150); do alive "$pid" || return 0; sleep 0.1; done
  kill -KILL "$pid" 2> /dev/null || true
}
cleanup() {
  stop_pid "$sampler_pid" TERM
  stop_pid "$sipp_pid" TERM
  stop_pid "$tutti_pid" TERM
}
trap cleanup EXIT
trap 'exit 2' INT TERM
nap() { sleep "$1" & wait $!; }  # a sleep the traps can interrupt

ulimit -n "$(ulimit -Hn)"
stats() { curl -sf --max-time 2 "http://127.0.0.1:$http_port/api/stats"; }

# --- tutti
"${nice_cmd[@]}" "$tutti" serve --config "$out/serve.yaml" > "$out/tutti.log" 2>&1 &
tutti_pid=$!
echo "$tutti_pid" > "$out/tutti.pid"
for _ in $(seq 300); do
  grep -q "tutti serve: ready" "$out/tutti.log" && break
  alive "$tutti_pid" || { cat "$out/tutti.log" >&2; die "tutti serve exited"; }
  sleep 0.1
done
grep -q "tutti serve: ready" "$out/tutti.log" || die "tutti serve not ready after 30 s"

# Counters once a second through the whole run (stats.jsonl: {"t": unix time, "stats": ...}),
# and every 5 s the busiest processes of the machine (ps.log: who else was running).
(
  i=0
  while :; do
    s=$(stats || echo null)
    echo "{\"t\": $(date +%s.%N), \"stats\": $s}"
    if (( i++ % 5 == 0 )); then
      { date +%T; ps -eo pid,pcpu,ni,comm --sort=-pcpu | sed -n 2,6p; } >> "$out/ps.log"
    fi
    sleep 1
  done
) > "$out/stats.jsonl" 2> /dev/null &
sampler_pid=$!

# --- SIPp (in $out: the scenario names tone.ulaw relative to the working directory)
sipp_cmd=(sipp "127.0.0.1:$sip_port" -sf uac_pcmu.xml -inf rooms.csv
  -i 127.0.0.1 -p "$sipp_port" -mi 127.0.0.1 -mp "$media_low"
  -m "$calls" -l "$calls" -r "$rate" -d "$pause_ms"
  -rtp_threadtasks "$sipp_rtp_tasks"
  -nostdin -timeout "${sipp_timeout_s}s" -timeout_error -recv_timeout 30s -max_retrans 5
  -trace_err -error_file sipp_errors.log -trace_screen -screen_file sipp_screen.log
  -trace_stat -stf sipp_stats.csv -fd 5)
echo "${sipp_cmd[*]}" > "$out/sipp_cmd.txt"
(cd "$out" && exec "${nice_cmd[@]}" "${sipp_cmd[@]}" > sipp.out 2>&1) &
sipp_pid=$!
echo "$sipp_pid" > "$out/sipp.pid"

# --- wait until every call is up
up_deadline=$(( SECONDS + 2 * ramp_s + 30 ))
while :; do
  active=$(stats | jq -r .calls_active || echo 0)
  (( active >= calls )) && break
  alive "$sipp_pid" || break
  (( SECONDS < up_deadline )) || break
  sleep 0.5
done
echo "calls up: $active of $calls" | tee "$out/ramp.txt"

snapshot() {  # snapshot NAME: clocks and counters at one moment
  local n=$1
  date +%s.%N > "$out/$n.time"
  stats > "$out/$n.stats.json" || echo null > "$out/$n.stats.json"
  cat "/proc/$tutti_pid/stat" > "$out/$n.tutti.stat" 2> /dev/null || true
  cat "/proc/$sipp_pid/stat" > "$out/$n.sipp.stat" 2> /dev/null || true
  head -1 /proc/stat > "$out/$n.cpu"
  cat /proc/loadavg > "$out/$n.loadavg"
  for t in /proc/"$tutti_pid"/task/*; do
    echo "${t##*/} $(cat "$t/comm" 2> /dev/null) $(cut -d')' -f2 "$t/stat" 2> /dev/null |
      awk '{print $12, $13}')"
  done > "$out/$n.tutti.tasks" 2> /dev/null || true
}

if (( active >= calls )); then
  nap "$settle_s"
  snapshot a
  nap "$hold_s"
  snapshot b
  ps -eo pid,pcpu,etimes,comm --sort=-pcpu | head -15 > "$out/ps_top.txt"
fi

# --- hang up and collect SIPp's verdict
sipp_rc=0
wait "$sipp_pid" || sipp_rc=$?
sipp_pid=""
echo "$sipp_rc" > "$out/sipp.rc"
stop_pid "$sampler_pid" TERM; sampler_pid=""
stats > "$out/end.stats.json" || echo null > "$out/end.stats.json"
stop_pid "$tutti_pid" TERM
tutti_rc=0; wait "$tutti_pid" || tutti_rc=$?
tutti_pid=""
echo "$tutti_rc" > "$out/tutti.rc"

python3 "$here/summarize.py" "$out" --calls "$calls" --hold "$hold_s" --threads "$threads" \
  --rate "$rate" --room-size "$room_size" --nice "${NICE:-0}"
