#!/usr/bin/env bash
# One command for the whole AWS-shaped system on this machine: DynamoDB + S3 + SQS emulated by
# LocalStack (Docker) or, where no Docker exists, by moto_server; the resources created by
# localstack/init/ready.d/init-aws.sh; then the API web app in AWS mode and one worker process,
# both pointed at the emulator through AWS_ENDPOINT_URL with dummy credentials. Ctrl-C stops
# everything this script started.
#
#   localstack/run.sh                  LocalStack when `docker compose` works, else moto
#   localstack/run.sh --moto           moto_server even when Docker exists
#   localstack/run.sh --infra-only     only the emulator + resources (run app and worker yourself)
#   localstack/run.sh --no-build       never run Maven (fail if a jar is missing)
#
# Environment (defaults in brackets): PORT [8080] of the web app; MOTO_PORT [4566];
# LIPSYNC_APP_ARGS [--spring.profiles.active=aws] what puts the web app in AWS mode;
# LIPSYNC_APP_JAR, LIPSYNC_WORKER_JAR; JAVA_OPTS; every lipsync.* setting under its environment name
# (LIPSYNC_AWS_TABLE, LIPSYNC_AWS_QUEUE, ... reach the init script, the app and the worker alike);
# LIPSYNC_STOP_SECONDS [120] how long Ctrl-C waits for the app and the worker (which may still be
# finishing a job: LIPSYNC_WORKER_SHUTDOWNGRACE [90s]) before killing them and then the emulator.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD

backend=auto infra_only=false build=true
for argument in "$@"; do
  case "$argument" in
    --moto) backend=moto ;;
    --localstack) backend=localstack ;;
    --infra-only) infra_only=true ;;
    --no-build) build=false ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option '$argument' (try --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[run.sh] %s\n' "$*" >&2; }
fail() { log "$*"; exit 1; }

export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test}
export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
export AWS_REGION=${AWS_REGION:-us-east-1}
export AWS_DEFAULT_REGION=$AWS_REGION

app_jar=${LIPSYNC_APP_JAR:-functions/local/target/local-0.1.0-SNAPSHOT.jar}
worker_jar=${LIPSYNC_WORKER_JAR:-functions/worker/target/worker-0.1.0-SNAPSHOT.jar}
read -r -a app_args <<<"${LIPSYNC_APP_ARGS:---spring.profiles.active=aws}"
read -r -a java_opts <<<"${JAVA_OPTS:-}"

if [[ $backend == auto ]]; then
  if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    backend=localstack
  else
    backend=moto
  fi
fi

emulator_pid=''  # moto_server, when this script started it
services=()      # the web app and the worker
compose_up=false
# Stops one group of processes: SIGTERM to all of them, then waits (bounded) and kills what is left.
stop_processes() {
  local seconds=$1 pid
  shift
  (($# > 0)) || return 0
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    for _ in $(seq 1 $((seconds * 5))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
cleanup() {
  trap - INT TERM EXIT
  # The app and the worker go first: on SIGTERM the worker finishes or releases its job, which needs
  # DynamoDB, S3 and SQS, so the emulator is stopped only once they are gone.
  stop_processes "${LIPSYNC_STOP_SECONDS:-120}" "${services[@]}"
  [[ -n $emulator_pid ]] && stop_processes 20 "$emulator_pid"
  if $compose_up; then
    docker compose -f localstack/docker-compose.yml down --remove-orphans >/dev/null 2>&1 || true
  fi
  log "stopped"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! $infra_only; then
  for jar in "$app_jar" "$worker_jar"; do
    if [[ ! -f $jar ]]; then
      $build || fail "$jar is missing: build it with 'mvn -DskipTests package' (or drop --no-build)"
      log "building the web app and the worker (mvn -DskipTests package)"
      mvn -q -DskipTests package -pl functions/local,functions/worker -am
      break
    fi
  done
  for jar in "$app_jar" "$worker_jar"; do
    [[ -f $jar ]] || fail "$jar is still missing after the build"
  done
fi

case "$backend" in
  localstack)
    port=${LOCALSTACK_PORT:-4566}
    export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
    log "starting LocalStack on $AWS_ENDPOINT_URL (docker compose)"
    compose_up=true
    LOCALSTACK_PORT=$port docker compose -f localstack/docker-compose.yml up -d --wait
    ;;
  moto)
    command -v moto_server >/dev/null 2>&1 || fail "moto_server is missing: pip install 'moto[server]' (or install Docker for LocalStack)"
    port=${MOTO_PORT:-4566}
    port_answers "$port" && fail "port $port is taken: set MOTO_PORT to a free port"
    export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
    log "starting moto_server on $AWS_ENDPOINT_URL"
    moto_log=${MOTO_LOG:-$root/target/moto_server.log}
    mkdir -p "$(dirname "$moto_log")"
    moto_server -H 127.0.0.1 -p "$port" >"$moto_log" 2>&1 &
    emulator_pid=$!
    for _ in $(seq 1 300); do port_answers "$port" && break; sleep 0.2; done
    port_answers "$port" || fail "moto_server did not answer on $port (log: $moto_log)"
    bash localstack/init/ready.d/init-aws.sh >&2
    ;;
  *) fail "unknown backend $backend" ;;
esac

log "resources ready on $AWS_ENDPOINT_URL (lipsync.aws.*: the defaults or LIPSYNC_AWS_*)"
echo "AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL"

if $infra_only; then
  log "infra only: Ctrl-C stops it"
  if [[ -n $emulator_pid ]]; then
    wait "$emulator_pid"
  else
    while true; do sleep 3600 & wait $!; done
  fi
  exit 0
fi

log "starting the worker: java -jar $worker_jar"
java "${java_opts[@]}" -jar "$worker_jar" &
services+=("$!")
log "starting the web app in AWS mode: java -jar $app_jar ${app_args[*]} (port ${PORT:-8080})"
java "${java_opts[@]}" -jar "$app_jar" "${app_args[@]}" &
services+=("$!")
log "open http://localhost:${PORT:-8080}/ - Ctrl-C stops everything"

# Whichever process ends first ends the whole system.
set +e
wait -n
status=$?
log "a process exited with status $status; stopping the rest"
exit "$status"
