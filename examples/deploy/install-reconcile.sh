#!/usr/bin/env bash
# Installs a reconcile release tarball (made by scripts/package) where a deploy can run it, for build steps
# on platforms without a Swift toolchain (Render's build command, Heroku's heroku-postbuild, a Dockerfile):
#
#   RECONCILE_URL=https://.../reconcile-0.1.0-linux-x86_64.tar.gz RECONCILE_SHA256=<sha256> \
#     examples/deploy/install-reconcile.sh
#
# Environment:
#   RECONCILE_URL     the tarball (https:// or file://); required
#   RECONCILE_SHA256  its SHA-256 (from SHA256SUMS); checked before anything is unpacked. Leave it unset only
#                     for a file you built yourself: the script then says it did not check.
#   RECONCILE_DEST    install prefix (default: .reconcile in the current directory): DEST/bin/reconcile,
#                     DEST/share/man, DEST/share/*completion*
#
# Ends by running `DEST/bin/reconcile --version`, so a platform image without libpq5 or with a glibc older
# than the binary needs fails the build here, not the deploy later.
set -euo pipefail

prog=install-reconcile
url=${RECONCILE_URL:?$prog: set RECONCILE_URL to the release tarball (https:// or file://)}
dest=${RECONCILE_DEST:-.reconcile}
work=$(mktemp -d "${TMPDIR:-/tmp}/install-reconcile.XXXXXX")
trap 'rm -rf "$work"' EXIT

curl --fail --silent --show-error --location --retry 3 --output "$work/reconcile.tar.gz" "$url" || {
	echo "$prog: downloading $url failed" >&2
	exit 1
}
if [[ -n ${RECONCILE_SHA256-} ]]; then
	actual=$(sha256sum "$work/reconcile.tar.gz" | cut -d' ' -f1)
	if [[ $actual != "$RECONCILE_SHA256" ]]; then
		echo "$prog: SHA-256 mismatch for $url: expected $RECONCILE_SHA256, got $actual; nothing installed" >&2
		exit 1
	fi
else
	echo "$prog: note: RECONCILE_SHA256 is not set, so the download was not checked" >&2
fi

mkdir -p "$work/unpacked"
tar -xzf "$work/reconcile.tar.gz" -C "$work/unpacked"
top=("$work"/unpacked/reconcile-*)
if [[ ${#top[@]} != 1 || ! -x ${top[0]}/bin/reconcile ]]; then
	echo "$prog: $url is not a reconcile release tarball (no reconcile-*/bin/reconcile in it)" >&2
	exit 1
fi
mkdir -p "$dest"
cp -R "${top[0]}/." "$dest/"
if ! version=$("$dest/bin/reconcile" --version 2>"$work/stderr"); then
	echo "$prog: $dest/bin/reconcile does not run here:" >&2
	cat "$work/stderr" >&2
	echo "$prog: it needs glibc >= $(sed -n 's/^glibc >= //p' "$dest/BUILD-INFO") and libpq5" \
		"(Debian/Ubuntu: apt-get install libpq5)" >&2
	exit 1
fi
echo "$prog: installed $version to $dest/bin/reconcile"
