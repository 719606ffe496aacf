#!/bin/sh
# Adopt an existing account with `vultr-state export`, end to end. See README.md next to this script.
#
#   sh examples/adopt/adopt.sh [OUTDIR]      (default OUTDIR: ./adopted)
#
# By default it runs against the embedded emulator (--emulator, state in ./.vultr-state/), so it is
# safe to try anywhere. VULTR_STATE_TARGET replaces --emulator, e.g. to use a served emulator:
#   VULTR_STATE_TARGET="--api-url http://127.0.0.1:8080" VULTR_API_KEY=EMULATOR-API-KEY sh adopt.sh
# Step 1 only exists for the demonstration: it creates objects "by hand", the way an account that
# predates vultr-state looks. Against a real account, start at step 2.
set -eu

TARGET=${VULTR_STATE_TARGET:---emulator}
OUT=${1:-adopted}
HERE=$(dirname "$0")

echo "== 1. objects created outside vultr-state (a key, a boot script, a server with IPv6)"
vultr-state api POST /ssh-keys $TARGET name=ops "ssh_key=$(cat "$HERE/../keys/deploy.pub")"
vultr-state api POST /startup-scripts $TARGET name=legacy-setup \
  "script=$(printf '#!/bin/sh\necho set up by hand' | base64 | tr -d '\n')"
vultr-state api POST /instances $TARGET region=ewr plan=vc2-1c-1gb os_id:=1743 label=legacy-web \
  enable_ipv6:=true

echo "== 2. wait until the server is active, then look: everything is unmanaged"
# Export reads addresses (IPv6, reverse DNS) that a server still being installed does not have yet.
while vultr-state show $TARGET | grep -q pending; do sleep 1; done
vultr-state show $TARGET

echo "== 3. export it as a manifest of project 'legacy'"
vultr-state export --project legacy --out "$OUT" $TARGET

echo "== 4. plan: adoptions only (no create, update or destroy); the plan is saved for review"
vultr-state plan "$OUT" $TARGET --out "$OUT.plan"

echo "== 5. apply the reviewed plan: vultr-state records the objects in the project's registry"
vultr-state apply "$OUT.plan" $TARGET --auto-approve

echo "== 6. plan again: no changes (exit code 0 with --detailed-exitcode, 2 would mean changes)"
vultr-state plan "$OUT" $TARGET --detailed-exitcode
