#!/usr/bin/env bash
# Development-set figures of the release binary, with the scorers of the evaluation kit
# (which is not in this repository). Run from the repository root after
# `cargo build --release`. EVAL points at the scorers, DATA at the development data,
# OUT at a scratch folder; SETS picks some of: ner quotes sentiment geo (default: all).
#
#   scripts/evaluate.sh                 # everything, about two minutes
#   SETS="ner quotes" scripts/evaluate.sh
#
# Prints one line per set with the figures the issues track, and keeps every scorer's full
# output in $OUT/*.score.txt.
set -euo pipefail
# The kit sits beside the repository (../shared); from a worktree one level deeper, ../../shared.
SHARED=../shared
[ -d "$SHARED" ] || SHARED=../../shared
EVAL=${EVAL:-$SHARED/eval}
DATA=${DATA:-$SHARED/data}
OUT=${OUT:-/tmp/news-enricher-eval}
BIN=${BIN:-target/release/news-enricher}
SETS=${SETS:-ner quotes sentiment geo}
mkdir -p "$OUT"

last_json() { tail -n 1 "$1"; }

run() { # name scorer gold-arg make-args... -- score-args...
  local name=$1 scorer=$2 gold=$3
  shift 3
  if [ ! -s "$OUT/$name.articles.jsonl" ]; then
    python3 "$EVAL/$scorer" make-articles "$gold" "$OUT/$name.articles.jsonl" >/dev/null
  fi
  "$BIN" enrich "$OUT/$name.articles.jsonl" >"$OUT/$name.enriched.jsonl" 2>"$OUT/$name.stderr" || true
  python3 "$EVAL/$scorer" score "$gold" "$OUT/$name.enriched.jsonl" "$@" >"$OUT/$name.score.txt"
}

for set in $SETS; do
  case $set in
  ner)
    run testa eval_ner.py "$DATA/ner/eng.testa"
    run wikigold eval_ner.py "$DATA/ner/wikigold.conll.txt"
    run gumdev eval_ner.py "$DATA/gum/gum-news.dev.conll"
    for s in testa wikigold gumdev; do echo "ner $s: $(last_json "$OUT/$s.score.txt")"; done
    ;;
  quotes)
    run polnear eval_quotes.py "$DATA/quotes/polnear-dev.jsonl"
    echo "quotes polnear-dev: $(last_json "$OUT/polnear.score.txt")"
    ;;
  sentiment)
    S=$DATA/sentiment
    run newsmtsc eval_sentiment_sets.py "$S/newsmtsc/dev.jsonl"
    run persent eval_sentiment_sets.py "$S/persent/dev.jsonl"
    run finentity eval_sentiment_sets.py "$S/finentity/dev.jsonl"
    run emobank eval_sentiment_sets.py "$S/emobank/dev.jsonl"
    python3 "$EVAL/eval_sentiment_sets.py" score "$S/emobank/dev.jsonl" "$OUT/emobank.enriched.jsonl" \
      --genre newspaper >"$OUT/emobank-newspaper.score.txt"
    python3 "$EVAL/eval_sentiment_sets.py" score "$S/emobank/dev.jsonl" "$OUT/emobank.enriched.jsonl" \
      --genre SemEval >"$OUT/emobank-semeval.score.txt"
    run tweets eval_sentiment.py "$S/tweets_GroundTruth.txt"
    run movie eval_sentiment.py "$S/movieReviewSnippets_GroundTruth.txt"
    run amazon eval_sentiment.py "$S/amazonReviewSnippets_GroundTruth.txt"
    for s in newsmtsc persent finentity emobank-newspaper emobank-semeval tweets movie amazon; do
      echo "sentiment $s: $(last_json "$OUT/$s.score.txt")"
    done
    ;;
  geo)
    run geovirus eval_geo.py "$DATA/geo/geovirus.jsonl"
    echo "geo geovirus: $(last_json "$OUT/geovirus.score.txt")"
    ;;
  *)
    echo "unknown set $set" >&2
    exit 2
    ;;
  esac
done
