#!/usr/bin/env bash
# The whole test suite, on a fresh machine: Python test tools (moto, cfn-lint) into .venv, build, typecheck,
# lint, then jest (unit + integration against moto). Writes jest's results to .jest-results.json.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ]; then npm ci; fi

stamp=".venv/.requirements-$(sha256sum requirements-test.txt | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "test: installing Python test tools into .venv (requirements-test.txt)"
  if python3 -m venv .venv && .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-test.txt; then
    touch "$stamp"
  else
    echo "*** WARNING: could not install requirements-test.txt into .venv; tests fall back to moto_server and cfn-lint on PATH ***" >&2
  fi
fi
export PATH="$PWD/.venv/bin:$PATH"

# The HTML report test drives Debian's chromium through puppeteer-core (never a downloaded browser).
if [ ! -x /usr/bin/chromium ]; then
  echo "test: installing chromium for the HTML report test"
  if [ "$(id -u)" = 0 ]; then apt-get install -y chromium; else sudo apt-get install -y chromium; fi
fi

npm run --silent build
npx tsc -p tsconfig.json --noEmit
npx eslint .
npx jest --ci --json --outputFile=.jest-results.json "$@"
