#!/usr/bin/env bash
# Builds Skiff (skipping tests) and starts the all-in-one distribution (Core + Cell + Portal) in the
# background; waits until GET /api/v1/health answers UP and prints where everything is.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

JAVA_HOME=$(scripts/deps.sh | tail -n 1)
export JAVA_HOME
[ -n "$JAVA_HOME" ] || unset JAVA_HOME
scripts/libvirt-up.sh

if [ "${SKIFF_SKIP_BUILD:-}" != "1" ]; then
    mvn -B -q -ntp install -DskipTests -Dmaven.test.skip.exec=true -pl karaf-assembly -am
fi

HOME_DIR="${SKIFF_HOME:-$ROOT/karaf-assembly/target/assembly}"
PORT="${SKIFF_HTTP_PORT:-8181}"
if curl -fsS "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1; then
    echo "skiff: something already answers on port $PORT (a running Skiff? stop it with scripts/stop.sh)" >&2
    exit 1
fi

echo "skiff: starting $HOME_DIR"
"$HOME_DIR/bin/start"

deadline=$((SECONDS + 180))
until curl -fsS "http://127.0.0.1:$PORT/api/v1/health" 2>/dev/null | grep -q '"status":"UP"'; do
    if ((SECONDS > deadline)); then
        echo "skiff: not UP after 180 s; see $HOME_DIR/data/log/karaf.log" >&2
        exit 1
    fi
    sleep 1
done

echo
echo "Skiff is up."
echo "  Portal : http://127.0.0.1:$PORT/portal/"
echo "  API    : http://127.0.0.1:$PORT/api/v1   (OpenAPI: /api/v1/openapi.json)"
echo "  HTTPS  : https://127.0.0.1:8443/api/v1 and /portal/   (certificate: $HOME_DIR/etc/skiff-tls.crt)"
echo "  Shell  : ssh -p 8101 admin@127.0.0.1   (the admin password below)"
if [ -f "$HOME_DIR/data/skiff/initial-admin-password" ]; then
    echo "  Admin  : user 'admin', password in $HOME_DIR/data/skiff/initial-admin-password"
else
    echo "  Admin  : user 'admin', password from SKIFF_ADMIN_PASSWORD (or the one you set)"
fi
echo "  Stop   : scripts/stop.sh"
