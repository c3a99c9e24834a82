#!/usr/bin/env bash
# tour.sh - the demo behind `make demo`: check the example programs, show a
# syntax tree and a diagnostic.  (Until the training demo exists.)
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
echo "Today: the front end (lexer, parser, diagnostics).  Next: types, VM, tensors."

rule "1. Checking the example programs"
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

rule "What's next"
cat <<'EOF'
  - the type checker: names, types, tensor shapes, generics
  - the bytecode VM and standard library, so `vortex run` executes programs
  - tensors and autodiff on CPU, then CUDA kernels and the MLIR path
  Language reference: docs/language.md    Design: docs/architecture.md
EOF

exit $failed
