#!/usr/bin/env bash
# Sets up .venv with the pinned versions (requirements.lock). With --test, also
# the test tools: Chromium and ChromeDriver from Debian, axe-core from npm.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
extras=""
if [ "${1:-}" = "--test" ]; then extras="[test]"; fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".${extras}"

# WeasyPrint (the PDF of `handbok report`) needs Pango, HarfBuzz and a font.
if ! ldconfig -p 2>/dev/null | grep libpangoft2-1.0 >/dev/null || [ ! -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installerar Pango, HarfBuzz och DejaVu-typsnitt för PDF (apt-get)"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-dejavu-core >/dev/null
  else
    echo "setup: Pango saknas; installera libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0 och fonts-dejavu-core för PDF" >&2
  fi
fi

if [ "${1:-}" = "--test" ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "setup: installerar chromium och chromium-driver (apt-get)"
      apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >/dev/null
    else
      echo "setup: chromium saknas; installera paketen chromium och chromium-driver för webbläsartesterna" >&2
    fi
  fi
  if command -v npm >/dev/null 2>&1; then
    (cd tests/browser && npm ci --silent --no-audit --no-fund >/dev/null)
  else
    echo "setup: npm saknas; installera Node.js för tillgänglighetstestet (axe-core)" >&2
  fi
fi
