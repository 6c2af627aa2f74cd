#!/usr/bin/env bash
# Builds the image and runs compose.yaml (PostgreSQL, migrate, 2 API, 2 workers): sends a message
# through API 2 to a receiver endpoint, then reads API 1's health and a worker's /metrics.
# Needs a Docker engine; .ci/run calls it only where `docker info` answers.
set -euo pipefail
cd "$(dirname "$0")/.."
export HOOKRELAY_ENCRYPTION_KEY="$(openssl rand -base64 32)"
export HOOKRELAY_ADMIN_TOKEN="hr_admin_$(openssl rand -hex 24)"
export HOOKRELAY_ALLOW_NETWORKS="10.0.0.0/8,172.16.0.0/12,192.168.0.0/16"
project="hookrelay-smoke-$$"
compose() { docker compose -p "$project" -f compose.yaml "$@"; }
trap 'compose down -v --remove-orphans >/dev/null 2>&1 || true' EXIT

compose up -d --build --wait api-1 api-2 worker-1 worker-2
auth=(-H "Authorization: Bearer $HOOKRELAY_ADMIN_TOKEN" -H 'Content-Type: application/json')
curl -fsS http://127.0.0.1:8071/api/v1/health
curl -fsS -X POST http://127.0.0.1:8072/api/v1/app "${auth[@]}" -d '{"name":"Smoke","uid":"smoke"}' >/dev/null
curl -fsS -X POST http://127.0.0.1:8072/api/v1/event-type "${auth[@]}" -d '{"name":"smoke.test","description":"smoke"}' >/dev/null
# The receiver is a listen channel: the workers reach it at api-1 on the compose network, a
# private range the smoke run allows (HOOKRELAY_ALLOW_NETWORKS below, read by compose.yaml).
channel_id=$(curl -fsS -X POST http://127.0.0.1:8071/api/v1/listen "${auth[@]}" -d '{}' | node -e 'process.stdin.on("data", (d) => process.stdout.write(JSON.parse(d).id))')
curl -fsS -X POST http://127.0.0.1:8072/api/v1/app/smoke/endpoint "${auth[@]}" -d "{\"url\":\"http://api-1:8071/in/$channel_id\"}" >/dev/null
curl -fsS -X POST http://127.0.0.1:8072/api/v1/app/smoke/msg "${auth[@]}" -d '{"eventType":"smoke.test","payload":{"ok":true}}'
for _ in $(seq 1 30); do
  if curl -fsS http://127.0.0.1:9464/metrics http://127.0.0.1:9465/metrics | grep -q '^hookrelay_deliveries_total{outcome="success"} [1-9]'; then
    echo "container smoke: ok (delivered through a worker container)"
    exit 0
  fi
  sleep 1
done
echo "container smoke: no worker reported a successful delivery" >&2
exit 1
