#!/usr/bin/env bash
# The README's first command: install, build, create a demo database, serve it
# on http://127.0.0.1:8080 (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBIZSOS_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"
mkdir -p data
db=${BIZSOS_DB:-data/bizsos.db}
if [ ! -f "$db" ]; then
  ./build/bizsos demo --db "$db"
else
  echo "==> using the existing database $db (delete it to start over with fresh demo data)"
fi
echo "==> serving on http://127.0.0.1:8080"
exec ./build/bizsos serve --db "$db" --listen "${BIZSOS_LISTEN:-127.0.0.1:8080}"
