#!/usr/bin/env bash
# Sets up .venv, checks the example handbook and serves it with live reload
# (docs/, routines/ and data/) on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/handbok check . --fail-on never
exec .venv/bin/mkdocs serve --dev-addr "${HANDBOK_ADDR:-127.0.0.1:8000}"
