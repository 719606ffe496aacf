#!/usr/bin/env bash
# Run the unmodified Ansible Vultr v1 modules (collection ngine_io.vultr 1.1.x, shipped inside the PyPI
# package "ansible" 7.x) against a fresh vultr-state emulator: tests/compat/ansible/playbook.yml creates an
# SSH key, a startup script and a server (waiting for it to run), changes it, power-cycles it and removes
# everything, then checks the 403 path. Ansible is large (tens of thousands of files), so it is installed
# into a throw-away virtual environment here rather than into the project's test extra.
# Usage: bash benchmarks/compat_ansible.sh [--venv DIR]   (an existing DIR with ansible installed is reused)
set -euo pipefail
cd "$(dirname "$0")/.."
source benchmarks/compat_common.sh

ANSIBLE_VERSION="${ANSIBLE_VERSION:-7.7.0}"
if [[ "${1:-}" == "--venv" ]]; then
    VENV="$2"
    KEEP_VENV=1
else
    VENV="$(mktemp -d)"
    KEEP_VENV=0
fi
trap 'stop_emulator; [[ $KEEP_VENV == 1 ]] || rm -rf "$VENV"' EXIT

if [[ ! -x "$VENV/bin/ansible-playbook" ]]; then
    started=$EPOCHREALTIME
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "ansible==$ANSIBLE_VERSION"
    printf 'installed ansible %s in %s s\n' "$ANSIBLE_VERSION" "$(elapsed_since "$started")"
fi

start_emulator
echo "emulator at $EMULATOR_URL"
started=$EPOCHREALTIME
VULTR_API_ENDPOINT="$EMULATOR_URL" VULTR_API_KEY="$EMULATOR_KEY" ANSIBLE_LOCALHOST_WARNING=false \
    ANSIBLE_PYTHON_INTERPRETER="$VENV/bin/python" \
    "$VENV/bin/ansible-playbook" -i localhost, -c local tests/compat/ansible/playbook.yml
printf 'playbook passed in %s s\n' "$(elapsed_since "$started")"
