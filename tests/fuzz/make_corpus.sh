#!/usr/bin/env bash
# tests/fuzz/make_corpus.sh — regenerates the committed seed corpus tests/fuzz/corpus/.
#
# Builds tests/fuzz/make_corpus.cpp (in build/fuzz, with the fuzz build's clang) and runs
# it on data/ (MNIST and Fashion-MNIST from scripts/setup). Seeds: IDX pairs cut from the
# t10k files, model files written by save_model, checkpoints, the page's preset queries,
# README's architecture strings and command lines. Prints the corpus size; the generated
# files are committed so CI never needs to run this.
# Usage: tests/fuzz/make_corpus.sh [DATA_DIR]   (default: data)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DATA="${1:-data}"
CXX="${AELAB_FUZZ_CXX:-clang++-14}"
cmake -S tests/fuzz -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER="$CXX" >/dev/null
cmake --build build/fuzz -j "${AELAB_JOBS:-2}" --target make_corpus
OUT=tests/fuzz/corpus
rm -rf "$OUT"
mkdir -p "$OUT"/{idx,checkpoint,model,query,arch,cli,csv}
build/fuzz/make_corpus "$DATA" "$OUT"
for d in "$OUT"/*/; do
  printf '%-12s %3d files %7d bytes\n' "$(basename "$d")" "$(find "$d" -type f | wc -l)" "$(cat "$d"/* | wc -c)"
done
echo "total: $(find "$OUT" -type f | wc -l) files, $(find "$OUT" -type f -exec cat {} + | wc -c) bytes"
