#!/bin/sh
# Starts one ARC service from its build output, as `npm start` does: entrypoint.sh <service>.
# exec: node replaces the shell, so SIGTERM from `docker stop` reaches Nest's shutdown hooks.
set -eu
service="${1:-}"
case "$service" in
  credit | invoicing | payments | collections | risk-alert | projections) ;;
  *)
    echo "usage: <credit|invoicing|payments|collections|risk-alert|projections>" >&2
    echo "configuration: ARC_<SERVICE>_PORT, ARC_<SERVICE>_DATABASE_URL, ARC_KAFKA_BROKERS, ... (README.md)" >&2
    [ "$service" = "--help" ] && exit 0
    exit 64
    ;;
esac
cd /app
exec node "services/$service/dist/main.js"
