#!/usr/bin/env bash
# Builds Ory Hydra (the OAuth2 server the login/consent pages are tested
# against) once into a cache outside the repository:
#   ${GATEHOUSE_TOOLS:-$HOME/.cache/gatehouse}/hydra-v2.3.0/hydra
# Idempotent: a binary that already answers `version` with v2.3.0 is kept.
#
# `go install github.com/ory/hydra/v2@v2.3.0` is refused (its go.mod has a
# replace directive), so the module's source is copied from the module proxy,
# the replace of hydra-client-go dropped, and built there. The build never
# touches Gatehouse's go.mod: it runs in a temporary directory with its own
# GOFLAGS. Prints the binary's path on its last line.
set -euo pipefail

version=v2.3.0
client_version=v2.2.1
tools=${GATEHOUSE_TOOLS:-${HOME:?set HOME or GATEHOUSE_TOOLS}/.cache/gatehouse}
dest_dir="$tools/hydra-$version"
dest="$dest_dir/hydra"

export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { echo "install-hydra: Go is not installed" >&2; exit 1; }

answers_version() {
  [[ -x "$1" ]] && "$1" version 2>/dev/null | grep -q "Version:[[:space:]]*$version\b"
}

if answers_version "$dest"; then
  echo "Hydra $version found in $dest"
  echo "$dest"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-hydra-build.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# Its own module settings: vendor/readonly modes and -buildvcs from the
# caller's environment do not apply to a copied module outside any repo.
export GOFLAGS=-mod=mod GOWORK=off GO111MODULE=on
unset GOOS GOARCH

started=$(date +%s)
echo "building Hydra $version into $dest (once; a few minutes on a cold cache)…"
if ! info=$(cd "$work" && go mod download -json "github.com/ory/hydra/v2@$version" 2>"$work/download.err"); then
  echo "install-hydra: the Go module proxy ($(go env GOPROXY)) did not serve github.com/ory/hydra/v2@$version:" >&2
  sed 's/^/  /' "$work/download.err" >&2
  printf '%s\n' "$info" | grep '"Error"' | sed 's/^/  /' >&2 || true
  exit 1
fi
src=$(printf '%s\n' "$info" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
[[ -n "$src" && -d "$src" ]] || { echo "install-hydra: no source directory in go mod download's answer" >&2; exit 1; }

cp -R "$src" "$work/src"
chmod -R u+w "$work/src"
cd "$work/src"
# The module's replace points the client at an in-tree copy the proxy's zip
# lacks; the published client of the same API is used instead.
go mod edit -dropreplace github.com/ory/hydra-client-go/v2
if ! go get "github.com/ory/hydra-client-go/v2@$client_version" 2>"$work/get.err"; then
  echo "install-hydra: could not fetch github.com/ory/hydra-client-go/v2@$client_version:" >&2
  sed 's/^/  /' "$work/get.err" >&2
  exit 1
fi
go build -trimpath -buildvcs=false \
  -ldflags "-X github.com/ory/hydra/v2/driver/config.Version=$version" \
  -o "$work/hydra" .

answers_version "$work/hydra" || {
  echo "install-hydra: the built binary does not report $version:" >&2
  "$work/hydra" version >&2 || true
  exit 1
}

# Atomic: a concurrent run or an interrupted one never leaves half a binary.
mkdir -p "$dest_dir"
mv "$work/hydra" "$dest.tmp.$$"
mv -f "$dest.tmp.$$" "$dest"
echo "Hydra $version built in $(( $(date +%s) - started ))s"
echo "$dest"
