#!/bin/sh
# Re-fetch the vendored Leaflet and Leaflet.markercluster builds from the npm registry and
# check them. Usage: sh static/vendor/leaflet/fetch.sh   (needs npm; the result is committed)
set -eu
LEAFLET=1.9.4
LEAFLET_SHA256=84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77
CLUSTER=1.5.3
CLUSTER_SHA256=fc6b0b1d00b6c708ae54e43ee4a11ac345e41660e19f0a570190bb35babb1a1c
here=$(cd "$(dirname "$0")" && pwd)
cluster_dir="$here/../leaflet.markercluster"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "leaflet@$LEAFLET" "leaflet.markercluster@$CLUSTER" >/dev/null)
echo "$LEAFLET_SHA256  $work/leaflet-$LEAFLET.tgz" | sha256sum -c -
echo "$CLUSTER_SHA256  $work/leaflet.markercluster-$CLUSTER.tgz" | sha256sum -c -
mkdir -p "$work/leaflet" "$work/cluster" "$here/images" "$cluster_dir"
tar -xzf "$work/leaflet-$LEAFLET.tgz" -C "$work/leaflet"
tar -xzf "$work/leaflet.markercluster-$CLUSTER.tgz" -C "$work/cluster"
# Without their source maps: Django's ManifestStaticFilesStorage would look for the .map files.
grep -v '^//# sourceMappingURL=' "$work/leaflet/package/dist/leaflet.js" > "$here/leaflet.js"
cp "$work/leaflet/package/dist/leaflet.css" "$work/leaflet/package/LICENSE" "$here/"
cp "$work/leaflet/package/dist/images/"*.png "$here/images/"
grep -v '^//# sourceMappingURL=' "$work/cluster/package/dist/leaflet.markercluster.js" \
  > "$cluster_dir/leaflet.markercluster.js"
cp "$work/cluster/package/dist/MarkerCluster.css" "$work/cluster/package/dist/MarkerCluster.Default.css" \
  "$work/cluster/package/MIT-LICENCE.txt" "$cluster_dir/"
echo "Leaflet $LEAFLET and Leaflet.markercluster $CLUSTER vendored in $here and $cluster_dir"
