# Shared by load-tests/run and load-tests/benchmark: start the gateway on the embedded Kafka + Mongo as separate
# processes, sample its usage, run Gatling, stop everything. Source it after setting ROOT (the repository).
# Ports: LOAD_HTTP_PORT (18080), LOAD_MANAGEMENT_PORT (19000), LOAD_KAFKA_PORT (19092, +1 controller),
# LOAD_MONGO_PORT (27117). LOAD_INFRA_JVM_ARGS: JVM options of the Kafka + Mongo process (-Xmx12g).

HTTP_PORT=${LOAD_HTTP_PORT:-18080}
MANAGEMENT_PORT=${LOAD_MANAGEMENT_PORT:-19000}
KAFKA_PORT=${LOAD_KAFKA_PORT:-19092}
MONGO_PORT=${LOAD_MONGO_PORT:-27117}
BASE="http://127.0.0.1:$HTTP_PORT"
METRICS="http://127.0.0.1:$MANAGEMENT_PORT/q/metrics"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
# The embedded Kafka + Mongo JVM. The Mongo memory backend keeps every document on the heap: a benchmark stores
# hundreds of thousands of events, and at a peak of 3,000/s 4 GB ran full (46 full GCs, the broker stalled), so 12 GB.
INFRA_JVM_ARGS=${LOAD_INFRA_JVM_ARGS:--Xmx12g}
# Only Gatling on this machine talks to the gateways under test, which mostly run open (no security), so they listen
# on loopback like the embedded Kafka and Mongo, not on the production default 0.0.0.0. Unquoted where used: two
# NAME=VALUE words for env.
LOOPBACK_ONLY="QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1"

# lt_start_stack WORK [NAME=VALUE ...]: starts Kafka, Mongo and the gateway (extra environment for the gateway
# as arguments), waits until ready; sets LAUNCHER and GATEWAY_PID, logs to WORK/gateway.log. With NATIVE_GATEWAY
# set to a native executable, the launcher starts only Kafka + Mongo and that executable is the gateway.
lt_start_stack() {
  local work=$1; shift
  LOG="$work/gateway.log"
  NATIVE_PID=
  echo "load: starting Kafka, Mongo and the gateway (log: $LOG) ..." >&2
  # Its own process group, so that lt_stop_stack can stop all of it, but not its own session (setsid): Linux gives
  # each session an autogroup that the scheduler shares out as one task, so the stack's fifty-odd threads got no more
  # of the 2 cores than the load generator's session, and the gateway's event loops waited up to 90 ms for a core
  # while the usage sampler's curl and awk ran (RESULTS.md, Fixes, eleventh session). Its input is /dev/null: a
  # background process group reading the terminal would be stopped.
  set -m
  env "$@" SKYWATCH_GATEWAY_JAR=${NATIVE_GATEWAY:+none} SKYWATCH_DATA_DIR="$work/data" SKYWATCH_KAFKA_PORT=$KAFKA_PORT \
    SKYWATCH_KAFKA_CONTROLLER_PORT=$((KAFKA_PORT + 1)) SKYWATCH_MONGO_PORT=$MONGO_PORT \
    QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT $LOOPBACK_ONLY \
    ./mvnw -q -B exec:exec@run-embedded -Prun -Dskywatch.embedded.jvm-args="$INFRA_JVM_ARGS" < /dev/null > "$LOG" 2>&1 &
  LAUNCHER=$!
  set +m
  trap lt_exit EXIT
  if [ -n "${NATIVE_GATEWAY:-}" ]; then
    for i in $(seq 1 180); do
      if grep -aq "Skywatch (embedded infrastructure)" "$LOG"; then break; fi
      if ! kill -0 "$LAUNCHER" 2>/dev/null || [ "$i" = 180 ]; then
        echo "load: Kafka + Mongo did not start:" >&2; tail -30 "$LOG" >&2; exit 1
      fi
      sleep 1
    done
    # Open like the gateway the embedded launcher starts, unless the run asked for security (--secured).
    env SKYWATCH_SECURITY_ENABLED="${SKYWATCH_SECURITY_ENABLED:-false}" "$@" KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" \
      MONGODB_URI="mongodb://127.0.0.1:$MONGO_PORT" \
      QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT $LOOPBACK_ONLY \
      "$NATIVE_GATEWAY" -Xmx512m > "$work/native-gateway.log" 2>&1 &
    NATIVE_PID=$!
  fi
  for i in $(seq 1 180); do
    if curl -sf "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" > /dev/null; then break; fi
    if ! kill -0 "${NATIVE_PID:-$LAUNCHER}" 2>/dev/null; then echo "load: the gateway did not start:" >&2; tail -30 "$LOG" >&2; exit 1; fi
    if [ "$i" = 180 ]; then echo "load: not ready after 180 s" >&2; tail -30 "$LOG" >&2; exit 1; fi
    sleep 1
  done
  GATEWAY_PID=${NATIVE_PID:-$(grep -a -o 'gateway pid [0-9]*' "$LOG" | head -1 | awk '{print $3}')}
  echo "load: gateway pid $GATEWAY_PID ready" >&2
}

lt_stop_stack() {
  lt_stop_sampler
  [ -n "${LAUNCHER:-}" ] || return 0
  if [ -n "${NATIVE_PID:-}" ]; then
    kill -TERM "$NATIVE_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$NATIVE_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$NATIVE_PID" 2>/dev/null || true
    NATIVE_PID=
  fi
  kill -TERM -- -"$LAUNCHER" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$LAUNCHER" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- -"$LAUNCHER" 2>/dev/null || true
  LAUNCHER=
  # The broker's log and the Mongo file of a run are scratch; the logs and samples stay for reading.
  rm -rf "$(dirname "$LOG")/data"
}

# lt_exit: on the script's exit, stops the stack and runs LT_RESTORE (a command setting back what the script changed).
lt_exit() {
  lt_stop_stack
  if [ -n "${LT_RESTORE:-}" ]; then eval "$LT_RESTORE"; fi
}

# lt_start_sampler FILE: one line per second (load-tests/usage_sampler.py): epoch seconds, gateway CPU ticks
# (user+system), RSS in kB, the consumers' total lag in records (from the gateway's metrics), the CPU ticks of the
# Kafka + Mongo JVM, and the machine's busy ticks (all CPUs, everything but idle and iowait), so a phase's CPU splits
# into the gateway, the infrastructure and the rest (the load generator, and whatever else ran).
lt_start_sampler() {
  python3 "$ROOT/load-tests/usage_sampler.py" "$1" "$GATEWAY_PID" "$(lt_infra_pid)" "$METRICS" 2>/dev/null &
  SAMPLER=$!
}

# lt_infra_pid: the process of the embedded Kafka + Mongo (the JVM gateway's parent; with a native gateway, the
# launcher's Java process).
lt_infra_pid() {
  if [ -z "${NATIVE_PID:-}" ]; then
    ps -o ppid= -p "$GATEWAY_PID" | tr -d ' '
  else
    pgrep -g "$LAUNCHER" -f 'io.skywatch.embedded.EmbeddedLauncher' | head -1
  fi
}

lt_stop_sampler() {
  if [ -n "${SAMPLER:-}" ]; then kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=; fi
}

# 90s, 2m, 1500ms -> whole seconds (rounded up)
lt_seconds() {
  case "$1" in
    *ms) echo $(( (${1%ms} + 999) / 1000 )) ;;
    *s) echo "${1%s}" ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *) echo "$1" ;;
  esac
}

# lt_gatling CLASS DURATION LOGFILE [-Dname=value ...]: runs one simulation against the gateway, bounded by
# DURATION + 10 min; returns Gatling's exit status.
lt_gatling() {
  local class=$1 duration=$2 log=$3; shift 3
  timeout "$(( $(lt_seconds "$duration") + 600 ))" \
    ./mvnw -q -B -f load-tests/pom.xml gatling:test -Dgatling.simulationClass="$class" -DbaseUrl="$BASE" \
      -Dduration="$duration" "$@" > "$log" 2>&1
}

# lt_wait_drained SECONDS: waits until the consumers' lag is 0 (everything accepted is stored), at most SECONDS.
lt_wait_drained() {
  for _ in $(seq 1 "$1"); do
    lag=$(curl -sf "$METRICS" | awk '/^skywatch_consumer_lag_records\{/ {s += $2} END {print s + 0}')
    [ "${lag:-1}" = 0 ] && return 0
    sleep 1
  done
  echo "load: consumers still lag ($lag records) after $1 s" >&2
}
