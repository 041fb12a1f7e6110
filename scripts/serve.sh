#!/usr/bin/env bash
# Sets up .venv, checks the example handbook and serves it with live reload
# (docs/, routines/ and data/) on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/handbok check . --fail-on never
# The theme's English end-of-life notice is for the theme's users, not for this handbook's.
export NO_MKDOCS_2_WARNING="${NO_MKDOCS_2_WARNING:-1}"
# --dirty: after a save only what it affects is rebuilt (the plugin decides; see README).
exec .venv/bin/mkdocs serve --dirty --dev-addr "${HANDBOK_ADDR:-127.0.0.1:8000}"
