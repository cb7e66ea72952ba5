#!/usr/bin/env bash
# The 5-fold cross-validated PerSenT dev figure, end to end through the enricher and the
# evaluation kit's scorer. The shipped sentiment model trains on PerSenT dev (its paragraph
# and article labels), so PerSenT dev can only be scored on models that did not see the
# article: fold k (the article's number modulo 5) is enriched with a model trained with
# `--persent-skip-fold k` (loaded through NEWS_ENRICHER__NLP__MODELS_DIR beside the shipped
# ner.bin), and the five folds' outputs are scored together. Run from the repository root
# after `cargo build --release`; extra arguments go to `train-sentiment` (to try settings).
#
#   scripts/persent_cv.sh
#   scripts/persent_cv.sh --persent-documents 0
set -euo pipefail
SHARED=../shared
[ -d "$SHARED" ] || SHARED=../../shared
EVAL=${EVAL:-$SHARED/eval}
DATA=${DATA:-$SHARED/data/sentiment}
OUT=${OUT:-/tmp/news-enricher-persent-cv}
BIN=${BIN:-target/release/news-enricher}
SET=$DATA/persent/dev.jsonl
mkdir -p "$OUT"
python3 "$EVAL/eval_sentiment_sets.py" make-articles "$SET" "$OUT/articles.jsonl" >/dev/null
# make-articles numbers the distinct (title, text) pairs a0, a1, ... in file order; each
# article goes to the fold of its row's id.
python3 - "$SET" "$OUT" <<'PY'
import json, sys
src, out = sys.argv[1], sys.argv[2]
fold_of, seen = {}, {}
for line in open(src, encoding="utf-8"):
    if not line.strip():
        continue
    r = json.loads(line)
    k = (r.get("title") or "", r["text"])
    if k not in seen:
        seen[k] = f"a{len(seen)}"
        fold_of[seen[k]] = int(r["id"].split("-")[2]) % 5
files = [open(f"{out}/fold{k}.articles.jsonl", "w", encoding="utf-8") for k in range(5)]
for line in open(f"{out}/articles.jsonl", encoding="utf-8"):
    files[fold_of[json.loads(line)["id"]]].write(line)
PY
: >"$OUT/cv.enriched.jsonl"
for k in 0 1 2 3 4; do
  mkdir -p "$OUT/fold$k"
  cp models/ner.bin "$OUT/fold$k/ner.bin"
  "$BIN" train-sentiment --data "$DATA" --out "$OUT/fold$k/sentiment.bin" \
    --persent-skip-fold "$k" "$@" >"$OUT/fold$k.train.txt"
  NEWS_ENRICHER__NLP__MODELS_DIR="$OUT/fold$k" "$BIN" enrich "$OUT/fold$k.articles.jsonl" \
    >"$OUT/fold$k.enriched.jsonl" 2>"$OUT/fold$k.stderr"
  cat "$OUT/fold$k.enriched.jsonl" >>"$OUT/cv.enriched.jsonl"
done
python3 "$EVAL/eval_sentiment_sets.py" score "$SET" "$OUT/cv.enriched.jsonl" >"$OUT/cv.score.txt"
echo "persent dev, 5-fold cross-validated: $(tail -n 1 "$OUT/cv.score.txt")"
