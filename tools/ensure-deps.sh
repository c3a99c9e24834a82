#!/usr/bin/env bash
# ensure-deps.sh - install the Debian packages a build step needs, if missing.
#   tools/ensure-deps.sh fuzz   clang with libFuzzer
#   tools/ensure-deps.sh openblas  OpenBLAS headers and library (the tensor CPU backend)
#   tools/ensure-deps.sh all    everything CI uses
# Needs root (or sudo) only when something is actually missing.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
fuzzer_lib() { compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null ||
               compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/*/libclang_rt.fuzzer.a" >/dev/null; }

cblas() { [ -f /usr/include/x86_64-linux-gnu/cblas.h ] || [ -f /usr/include/cblas.h ] ||
          compgen -G "/usr/include/*/cblas.h" >/dev/null; }

# tests/tensor/verify_ops.py runs under Debian's python3 (the one on PATH may be pyenv's).
torch_py() { /usr/bin/python3 -c 'import torch, numpy' >/dev/null 2>&1; }

case "${1:-all}" in
  openblas) cblas || need+=(libopenblas-dev) ;;
  fuzz) have clang || need+=(clang); fuzzer_lib || need+=(libclang-rt-14-dev) ;;
  all)  have cc || need+=(gcc); have make || need+=(make); have clang || need+=(clang)
        fuzzer_lib || need+=(libclang-rt-14-dev); have valgrind || need+=(valgrind)
        have lua5.4 || need+=(lua5.4); have python3 || need+=(python3)
        cblas || need+=(libopenblas-dev)
        torch_py || need+=(python3-torch python3-numpy) ;;
esac

[ ${#need[@]} -eq 0 ] && exit 0
echo "installing missing packages: ${need[*]}" >&2
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
