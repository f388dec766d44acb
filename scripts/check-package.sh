#!/usr/bin/env bash
# Check the package as it would be published: pack it once (prepack builds dist/), then lint the tarball's
# package.json and files (publint) and resolve its types the way consumers' TypeScript would (attw; recgap is
# ESM only, so the CommonJS resolution modes are not checked).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm pack --pack-destination "$tmp" --silent >/dev/null
tarball=$(ls "$tmp"/*.tgz)
npx publint run --strict "$tarball"
npx attw --profile esm-only "$tarball"
