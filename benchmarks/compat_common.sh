# Shared by benchmarks/compat_*.sh (sourced, not run): start a vultr-state emulator on a free loopback port
# and stop it on exit. Sets EMULATOR_URL and EMULATOR_KEY; call emulator_reset between client runs.
EMULATOR_KEY="${VULTR_EMULATOR_API_KEY:-compat-$$-key}"
EMULATOR_LOG="$(mktemp)"

start_emulator() {
    # Short provisioning so the clients' own wait loops finish quickly; rate limit off unless asked.
    python -m vultr_state emulator serve --port 0 --api-key "$EMULATOR_KEY" --rate-limit "${RATE_LIMIT:-0}" \
        --provision-seconds "${PROVISION_SECONDS:-1}" --snapshot-seconds "${SNAPSHOT_SECONDS:-0.5}" \
        >"$EMULATOR_LOG" 2>&1 &
    EMULATOR_PID=$!
    for _ in $(seq 100); do
        EMULATOR_URL="$(head -n 1 "$EMULATOR_LOG")"
        [[ "$EMULATOR_URL" == http://* ]] && return 0
        sleep 0.1
    done
    echo "emulator did not start:" >&2
    cat "$EMULATOR_LOG" >&2
    return 1
}

stop_emulator() {
    if [[ -n "${EMULATOR_PID:-}" ]]; then
        kill -TERM "$EMULATOR_PID" 2>/dev/null || true
        wait "$EMULATOR_PID" 2>/dev/null || true
    fi
    rm -f "$EMULATOR_LOG"
}

elapsed_since() {  # seconds since an $EPOCHREALTIME value, one decimal
    python -c 'import sys, time; print(f"{time.time() - float(sys.argv[1]):.1f}")' "$1"
}

emulator_reset() {
    python - "$EMULATOR_URL" "$EMULATOR_KEY" <<'PY'
import sys

import requests

url, key = sys.argv[1:]
requests.post(url + "/_emulator/reset", headers={"API-Key": key}, timeout=10).raise_for_status()
PY
}
