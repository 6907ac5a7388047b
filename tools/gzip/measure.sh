#!/usr/bin/env bash
# The cost and the gain of the runtime's `gzip` feature, side by side:
#  1. a clean build of drun-runtime without and with it (its own target
#     folders, interleaved, RUNS times each; medians);
#  2. the bytes of a large list answer (ghippo's users, 1,000 of them in
#     the documented shape) as JSON and gzip-compressed at the level
#     servers use by default (6).
# Usage: tools/gzip/measure.sh [RUNS]   (from the repository's root)
set -euo pipefail
runs=${1:-3}
root=$(pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
without=() with=()
for i in $(seq "$runs"); do
  for variant in without with; do
    features=rustls
    [ "$variant" = with ] && features=rustls,gzip
    rm -rf "$scratch/target-$variant"
    start=$(date +%s.%N)
    cargo build -q --release --offline -p drun-runtime --no-default-features --features "$features" \
      --target-dir "$scratch/target-$variant" 2>/dev/null
    end=$(date +%s.%N)
    seconds=$(echo "$end - $start" | bc)
    if [ "$variant" = with ]; then with+=("$seconds"); else without+=("$seconds"); fi
  done
done
crates() { cargo tree -p drun-runtime --no-default-features --features "$1" -e normal --prefix none --offline 2>/dev/null | sort -u | wc -l; }
echo "clean release build of drun-runtime, median of $runs (interleaved):"
printf '  without gzip: %.1f s, %s crates\n' "$(printf '%s\n' "${without[@]}" | median)" "$(crates rustls)"
printf '  with gzip:    %.1f s, %s crates\n' "$(printf '%s\n' "${with[@]}" | median)" "$(crates rustls,gzip)"
python3 - <<'PY'
import gzip, json
user = lambda i: {
    "id": f"4b9d6d3e-1f4e-4c1a-9d2b-{i:012x}", "name": f"user-{i}", "email": f"user-{i}@example.com",
    "description": "a member of the platform team", "firstname": "Ada", "lastname": f"Lovelace{i}",
    "source": "ldap", "enabled": True, "createdAt": "2024-01-02T03:04:05Z", "updatedAt": "2024-02-03T04:05:06Z",
    "lastLoginAt": "2024-03-04T05:06:07Z", "canAuthorize": True,
}
body = json.dumps({"items": [user(i) for i in range(1000)],
                   "pagination": {"page": 1, "pageSize": 1000, "total": 1000}}).encode()
packed = gzip.compress(body, compresslevel=6)
print(f"a list of 1,000 users: {len(body):,} bytes as JSON, {len(packed):,} gzip-compressed "
      f"({len(packed) / len(body):.1%}; {len(body) / len(packed):.1f}x smaller)")
PY
