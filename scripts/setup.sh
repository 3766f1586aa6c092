#!/usr/bin/env bash
# Install what bilingual needs on Debian/Ubuntu: system libraries, then a virtualenv in .venv.
#   scripts/setup.sh          runtime only (build sites and PDFs)
#   scripts/setup.sh --test   also the test tools (Chromium, poppler-utils, pytest, Playwright)
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=false
[[ "${1:-}" == "--test" ]] && with_tests=true

packages=(python3-venv python3-dev libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
          g++ pkg-config libicu-dev)  # PyICU builds against ICU
$with_tests && packages+=(chromium poppler-utils qpdf gettext unicode-data)
# npm brings axe-core for the accessibility tests (Debian's npm pulls in Node.js).
if $with_tests && ! command -v npm >/dev/null; then packages+=(npm); fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
[[ -x .venv/bin/python ]] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if $with_tests; then
  .venv/bin/python -m pip install -q -e ".[test]"
  npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix .venv/node axe-core@4
else
  .venv/bin/python -m pip install -q -e .
fi
echo "Ready: .venv/bin/bilingual"
