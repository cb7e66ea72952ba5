#!/usr/bin/env bash
# Cluster failover test: starts three NEW RabbitMQ nodes on this machine (ne-c1..3@localhost,
# AMQP ports 5681-5683, distribution ports 25681-25683, data, logs and config under a temp
# dir, no plugins), joins them into one cluster, and runs examples/cluster_failover.rs against
# them with the release binary: 5,000 articles through two workers on a quorum queue with
# three replicas, stopping the node holding the queue leader and then a node a worker is
# connected to mid-stream. The nodes are always stopped and their files removed on exit;
# the machine's default node (5672) is left alone.
#
#   bash scripts/cluster-test.sh            # builds the release binary and the example first
#
# Needs rabbitmq-server (and its rabbitmqctl) installed; run as root or as the rabbitmq user.
set -euo pipefail
cd "$(dirname "$0")/.."

NODES=(ne-c1@localhost ne-c2@localhost ne-c3@localhost)
PORTS=(5681 5682 5683)
DIST_PORTS=(25681 25682 25683)
BASE="$(mktemp -d /tmp/ne-cluster.XXXXXX)"

stop_nodes() {
  for node in "${NODES[@]}"; do
    rabbitmqctl -q -n "$node" stop >/dev/null 2>&1 || true
  done
  # A node that did not answer rabbitmqctl: its pid file says which process it is.
  for i in 0 1 2; do
    pid_file="$BASE/${NODES[$i]%@*}/pid"
    if [ -s "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      kill "$(cat "$pid_file")" 2>/dev/null || true
    fi
  done
  rm -rf "$BASE"
}
trap stop_nodes EXIT

for port in "${PORTS[@]}" "${DIST_PORTS[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "cluster-test: port $port is in use; stop what listens there first" >&2
    exit 2
  fi
done

echo "== building the release binary and the example"
cargo build --release --locked --bin news-enricher --example cluster_failover

echo "== starting ${NODES[*]} under $BASE"
for i in 0 1 2; do
  dir="$BASE/${NODES[$i]%@*}"
  mkdir -p "$dir"
  echo "[]." > "$dir/enabled_plugins"
  printf 'listeners.tcp.local = 127.0.0.1:%s\n' "${PORTS[$i]}" > "$dir/rabbitmq.conf"
done
# The packaged rabbitmq-server runs the node as the rabbitmq user (sharing its Erlang cookie,
# which the cluster's nodes and rabbitmqctl need); it must be able to write the node's files.
if id rabbitmq >/dev/null 2>&1; then
  chown -R rabbitmq:rabbitmq "$BASE"
fi
for i in 0 1 2; do
  dir="$BASE/${NODES[$i]%@*}"
  env RABBITMQ_NODENAME="${NODES[$i]}" \
    RABBITMQ_NODE_PORT="${PORTS[$i]}" \
    RABBITMQ_DIST_PORT="${DIST_PORTS[$i]}" \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" \
    RABBITMQ_LOG_BASE="$dir/log" \
    RABBITMQ_PID_FILE="$dir/pid" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    rabbitmq-server -detached
done
# `wait` follows the pid file until the node has registered and its application runs
# (await_startup alone fails while the new node is not yet known to epmd).
for i in 0 1 2; do
  rabbitmqctl -q -n "${NODES[$i]}" wait "$BASE/${NODES[$i]%@*}/pid" --timeout 120
done

echo "== joining ${NODES[1]} and ${NODES[2]} to ${NODES[0]}"
for node in "${NODES[1]}" "${NODES[2]}"; do
  rabbitmqctl -q -n "$node" stop_app
  rabbitmqctl -q -n "$node" join_cluster "${NODES[0]}"
  rabbitmqctl -q -n "$node" start_app
  rabbitmqctl -q -n "$node" await_startup --timeout 120
done
rabbitmqctl -q -n "${NODES[0]}" cluster_status

urls=()
for port in "${PORTS[@]}"; do
  urls+=("amqp://guest:guest@127.0.0.1:$port/%2f")
done
AMQP_URL="$(IFS=,; echo "${urls[*]}")" \
  NE_CLUSTER_NODES="$(IFS=,; echo "${NODES[*]}")" \
  NE_CLUSTER_PORTS="$(IFS=,; echo "${PORTS[*]}")" \
  NEWS_ENRICHER_BIN=target/release/news-enricher \
  target/release/examples/cluster_failover
