#!/usr/bin/env bash
# Retrains the news sentiment models and checks that the result is models/sentiment.bin byte
# for byte (the trainer is deterministic). Run from the repository root; DATA points at a
# folder with emobank/, newsmtsc/ and finentity/ (../shared/data/sentiment's layout), which
# is not in the repository.
set -euo pipefail
DATA=${DATA:-../shared/data/sentiment}
[ -d "$DATA" ] || DATA=../../shared/data/sentiment
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cargo run --release --locked -- train-sentiment --data "$DATA" --out "$OUT/sentiment.bin"
if cmp -s "$OUT/sentiment.bin" models/sentiment.bin; then
  echo "models/sentiment.bin reproduced byte for byte"
else
  echo "models/sentiment.bin differs from a fresh training run" >&2
  exit 1
fi
