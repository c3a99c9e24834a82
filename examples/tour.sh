#!/usr/bin/env bash
# tour.sh - the demo behind `make demo`: type-check the examples, show a
# syntax tree, a diagnostic, a shape error caught at compile time, programs
# run by the bytecode VM, and then train a character-level transformer
# (examples/train_transformer.vx, a few minutes on a 2-core CPU) and print
# the text it generates.
#
#   examples/tour.sh VORTEX        VORTEX: path to the vortex binary
#
# Exits 0 when every example checks cleanly, 1 otherwise.
set -u

VORTEX=${1:?usage: examples/tour.sh VORTEX}
case $VORTEX in */*) VORTEX="$(cd "$(dirname "$VORTEX")" && pwd)/$(basename "$VORTEX")" ;; esac
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

rule() { printf '\n== %s ==\n\n' "$1"; }

echo "Vortex demo - $("$VORTEX" --version)"
echo "A statically typed language for neural networks, with shape-typed tensors."
echo "Today: parser, type checker with shape types, bytecode VM, tensors with autodiff on the CPU."

rule "1. Type-checking the example programs (vortex check)"
failed=0
files=(examples/tour.vx)
for f in examples/*.vx; do [ "$f" = examples/tour.vx ] || files+=("$f"); done
for f in "${files[@]}"; do
  lines=$(wc -l <"$f")
  if "$VORTEX" check --color=never "$f" >"$tmp/out" 2>&1; then
    printf '  OK    %-24s %4d lines\n' "$f" "$lines"
  else
    printf '  FAIL  %s\n' "$f"; sed 's/^/        /' "$tmp/out" | head -20
    failed=1
  fi
done

rule "2. The syntax tree of a small program (vortex parse --dump)"
cat >"$tmp/snippet.vx" <<'EOF'
fn relu(x: Tensor<f32, [B, D]>) -> Tensor<f32, [B, D]> {
    select(x > 0.0, x, 0.0)
}
EOF
sed 's/^/  /' "$tmp/snippet.vx"
echo
"$VORTEX" parse --dump "$tmp/snippet.vx" | sed 's/^/  /'

rule "3. A diagnostic (vortex check on a broken file)"
cat >"$tmp/broken.vx" <<'EOF'
fn main() {
    let steps = 10
    if steps = 10 { println("ten") }
}
EOF
echo "  \$ vortex check broken.vx"
echo
rc=0
(cd "$tmp" && "$VORTEX" check broken.vx 2>&1) || rc=$?
echo "(exit code $rc: errors in the program give 1, misuse of the command line 2)"

rule "4. A shape error, caught before the program runs"
cat >"$tmp/shapes.vx" <<'EOF'
fn layer(x: Tensor<f32, [B, 784]>, w: Tensor<f32, [784, 128]>) -> Tensor<f32, [B, 128]> { relu(x @ w) }
fn main() {
    let batch = randn([32, 784])
    let w = randn([128, 784])          // transposed by mistake
    let h = layer(batch, w)
}
EOF
sed 's/^/  /' "$tmp/shapes.vx"
echo
(cd "$tmp" && "$VORTEX" check shapes.vx 2>&1) || true

rule "5. Running a program on the bytecode VM (vortex run)"
cat >"$tmp/collatz.vx" <<'EOF'
// The longest Collatz chain below a million, with checked integer arithmetic.
fn chain(start: i64) -> i64 {
    var n = start
    var steps = 1
    while n != 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 }
        steps += 1
    }
    steps
}
fn main() {
    var best = 0
    var arg = 0
    for i in 1..1000000 {
        let s = chain(i)
        if s > best {
            best = s
            arg = i
        }
    }
    println("longest chain below 1e6 starts at", arg, "with", best, "steps")
}
EOF
sed 's/^/  /' "$tmp/collatz.vx"
echo
echo "  \$ vortex run collatz.vx"
start=$(date +%s%N)
(cd "$tmp" && "$VORTEX" run collatz.vx 2>&1) | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] || failed=1
echo "  ($(( ($(date +%s%N) - start) / 1000000 )) ms)"

rule "A whole program on the VM: traits, enums, closures, Result and ?"
echo "  \$ vortex run examples/shapes.vx"
"$VORTEX" run examples/shapes.vx 2>&1 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] || failed=1

rule "6. Training a transformer (std.nn, AdamW, autodiff) and sampling from it"
echo "  \$ vortex run examples/train_transformer.vx"
start=$(date +%s)
"$VORTEX" run examples/train_transformer.vx 2>&1 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] || failed=1
echo "  ($(( $(date +%s) - start )) s in all)"

rule "What's next"
cat <<'EOF'
  - CUDA kernels and the MLIR path
  Language reference: docs/language.md    Design: docs/architecture.md
EOF

exit $failed
