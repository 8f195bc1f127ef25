#!/bin/sh
# serve.sh: tumen serve on the flagship day (`make demo SERVE=1` runs it after the demo): a
# new store in out/flagship/serve.db, an admin token, the flagship's network, trains and
# timetable uploaded as a scenario, then the service in the foreground (Ctrl-C stops it).
#   sh examples/flagship/serve.sh [TUMEN_CLI]      LISTEN=127.0.0.1:8080 by default
set -eu
TUMEN=${1:-build/tumen}
HERE=$(dirname "$0")
LISTEN=${LISTEN:-127.0.0.1:8080}
OUT=out/flagship
DB="$OUT/serve.db"
mkdir -p "$OUT"
rm -f "$DB" "$DB-wal" "$DB-shm"
TOKEN=$("$TUMEN" serve token add demo --role admin --db "$DB" | tail -n 1 | awk '{print $NF}')
"$TUMEN" serve --db "$DB" --listen "$LISTEN" &
PID=$!
trap 'kill $PID 2>/dev/null || true' INT TERM EXIT
i=0
until curl -sf "http://$LISTEN/api/v1/health" >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 50 ]; then
        echo "serve.sh: the service did not start on $LISTEN" >&2
        exit 1
    fi
    sleep 0.2
done
curl -sf -H "Authorization: Bearer $TOKEN" -F "f=@$HERE/network.yaml" -F "f=@$HERE/train.yaml" \
    -F "f=@$HERE/timetable.yaml" "http://$LISTEN/api/v1/scenarios?name=flagship"
echo
echo "the flagship day is served: http://$LISTEN/ (sign in with the token below)"
echo "token: $TOKEN"
wait $PID
