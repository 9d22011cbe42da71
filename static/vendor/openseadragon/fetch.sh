#!/bin/sh
# Re-fetch the vendored OpenSeadragon build from the npm registry and check it.
# Usage: sh static/vendor/openseadragon/fetch.sh   (needs npm; the result is committed)
set -eu
VERSION=5.0.1
SHA256=4762c9432cee1d941644d0df9ce61ebb61d3dcd6f7312e843f24d26912354502
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "openseadragon@$VERSION" >/dev/null)
echo "$SHA256  $work/openseadragon-$VERSION.tgz" | sha256sum -c -
tar -xzf "$work/openseadragon-$VERSION.tgz" -C "$work"
# Without its source map: Django's ManifestStaticFilesStorage would look for the .map file.
grep -v '^//# sourceMappingURL=' "$work/package/build/openseadragon/openseadragon.min.js" \
  > "$here/openseadragon.min.js"
cp "$work/package/LICENSE.txt" "$here/"
echo "OpenSeadragon $VERSION vendored in $here"
