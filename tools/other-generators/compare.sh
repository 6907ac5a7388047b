#!/usr/bin/env bash
# The ghippo document's client from this generator beside openapi-generator's
# (its `rust` generator) and progenitor's, measured side by side in one run:
# lines of Rust, generation time, clean build and clean check of the crate
# alone (its dependencies built beforehand, no incremental compilation: the
# way cargo compiles a dependency). Medians of RUNS runs (default 3).
#
#   tools/other-generators/compare.sh [RUNS] [generation]
#
# With `generation`, only the generation times, interleaved run by run, with
# this generator's whole-family drift check beside them (no builds).
#
# Installs openapi-generator-cli from PyPI (it ships the generator's JAR; it
# needs Java) and cargo-progenitor from crates.io under target/tools. Their
# crates are written under target/other-generators.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
only_generation=${2:-}
spec=specs/ghippo-v0.48.1.json
work=target/other-generators
tools=target/tools
oag_version=7.26.0
progenitor_version=0.15.1
mkdir -p "$work" "$tools"
export CARGO_INCREMENTAL=0

if [ "$only_generation" != generation ] && [ ! -x "$tools/oag-venv/bin/openapi-generator-cli" ]; then
    python3 -m venv "$tools/oag-venv"
    "$tools/oag-venv/bin/pip" install --quiet "openapi-generator-cli==$oag_version"
fi
if [ ! -x "$tools/progenitor/bin/cargo-progenitor" ]; then
    cargo install --quiet --locked --root "$tools/progenitor" cargo-progenitor --version "$progenitor_version"
fi
cargo build --quiet --release --locked -p xtask
xtask=target/release/xtask

# Wall time of a command, in seconds; its output goes to $work/last.log.
timed() {
    local start end
    start=$(date +%s.%N)
    if ! "$@" >"$work/last.log" 2>&1; then
        echo "failed: $*" >&2
        tail -n 20 "$work/last.log" >&2
        exit 1
    fi
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
lines() { find "$1" -name '*.rs' -not -path '*/mocks/*' -exec cat {} + | wc -l; }

# Generation, RUNS times each, into a fresh folder.
gen_drun() { rm -rf "$work/drun" && "$xtask" generate --spec "$spec" --out "$work/drun"; }
gen_oag() {
    rm -rf "$work/openapi-generator" &&
        "$tools/oag-venv/bin/openapi-generator-cli" generate -i "$spec" -g rust \
            -o "$work/openapi-generator" --package-name ghippo-openapi-generator
}
# progenitor reads OpenAPI 3.0 only, and stops on more than one response
# type per operation (`assertion failed: response_types.len() <= 1`): it is
# given this generator's upconversion without the `default` responses.
"$xtask" openapi3 "$spec" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
for item in doc["paths"].values():
    for op in item.values():
        if isinstance(op, dict):
            op.get("responses", {}).pop("default", None)
json.dump(doc, sys.stdout)
' >"$work/ghippo-oas3.json"
gen_progenitor() {
    rm -rf "$work/progenitor" &&
        "$tools/progenitor/bin/cargo-progenitor" progenitor -i "$work/ghippo-oas3.json" \
            -o "$work/progenitor" -n ghippo-progenitor -v 0.1.0
}
check_family() { "$xtask" generate --check --config specs/drun.yaml; }
declare -A generation
if [ "$only_generation" = generation ]; then
    # Interleaved, so that the machine's moods fall on every command alike.
    declare -A all_times
    for _ in $(seq "$runs"); do
        for name in drun progenitor family; do
            case $name in family) t=$(timed check_family) ;; *) t=$(timed "gen_$name") ;; esac
            all_times[$name]+="$t "
        done
    done
    for name in drun progenitor family; do
        generation[$name]=$(tr ' ' '\n' <<<"${all_times[$name]}" | grep . | median)
    done
    echo "| command (medians of $runs interleaved runs) | wall |"
    echo "| --- | --- |"
    echo "| \`xtask generate --spec $spec --out NEW\` (this generator, ghippo) | ${generation[drun]} s |"
    echo "| \`cargo progenitor\` $progenitor_version on the same document (its 3.0 upconversion) | ${generation[progenitor]} s |"
    echo "| \`xtask generate --check --config specs/drun.yaml\` (27 modules, the drift check) | ${generation[family]} s |"
    awk -v a="${generation[progenitor]}" -v b="${generation[drun]}" 'BEGIN { printf "\nprogenitor / this generator: %.1fx\n", a / b }'
    exit 0
fi
for name in drun oag progenitor; do
    generation[$name]=$(for _ in $(seq "$runs"); do timed "gen_$name"; done | median)
done
# The other crates are workspaces of their own, not members of this one.
printf '\n[workspace]\n' >>"$work/openapi-generator/Cargo.toml"
printf '\n[workspace]\n' >>"$work/progenitor/Cargo.toml"

# Clean builds and checks: this generator's crate as the workspace builds it.
cargo_of() {
    case $1 in
        drun) echo "--locked -p drun-ghippo" ;;
        oag) echo "--manifest-path $work/openapi-generator/Cargo.toml -p ghippo-openapi-generator" ;;
        progenitor) echo "--manifest-path $work/progenitor/Cargo.toml -p ghippo-progenitor" ;;
    esac
}
declare -A build check
for name in drun oag progenitor; do
    # shellcheck disable=SC2046
    set -- $(cargo_of "$name")
    target="$work/target-$name"
    cargo build --quiet --target-dir "$target" "$@" # dependencies, once
    for mode in build check; do
        times=$(for _ in $(seq "$runs"); do
            cargo clean --quiet --target-dir "$target" "$@" >/dev/null 2>&1
            timed cargo "$mode" --target-dir "$target" "$@"
        done)
        if [ "$mode" = build ]; then build[$name]=$(median <<<"$times"); else check[$name]=$(median <<<"$times"); fi
    done
done

declare -A label=(
    [drun]="drun-ghippo (this generator)"
    [oag]="openapi-generator $oag_version (\`-g rust\`)"
    [progenitor]="progenitor $progenitor_version (\`cargo progenitor\`)"
)
declare -A src=([drun]=generated-client/modules/ghippo/src [oag]=$work/openapi-generator/src [progenitor]=$work/progenitor/src)
echo "| crate for the ghippo document | lines | generation | clean build | clean check | build, vs this generator's |"
echo "| --- | --- | --- | --- | --- | --- |"
for name in drun oag progenitor; do
    ratio=$(awk -v a="${build[$name]}" -v b="${build[drun]}" 'BEGIN { printf "%.1fx", a / b }')
    echo "| ${label[$name]} | $(lines "${src[$name]}") | ${generation[$name]} s | ${build[$name]} s | ${check[$name]} s | $ratio |"
done
echo
echo "Medians of $runs runs; lines without the mocks (compiled only with the \`mocks\` feature)."
