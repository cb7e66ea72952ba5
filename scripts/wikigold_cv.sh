#!/usr/bin/env bash
# The 5-fold cross-validated Wikigold figure of the entity model when Wikigold is part of its
# training data (models/README.md): document i of wikigold.conll.txt goes to fold i mod 5;
# for each fold a model is trained as scripts/regenerate.sh trains the shipped one, with the
# other four fifths of Wikigold in place of all of it, and the fold is scored through the
# release binary (`nlp.models_dir` pointing at that model) with the evaluation kit's scorer.
# Prints one line per label and the micro-averaged F1 over the five folds.
# Run from the repository root after `cargo build --release`; about 5 minutes on one core.
set -euo pipefail
SHARED=../shared
[ -d "$SHARED" ] || SHARED=../../shared
EVAL=${EVAL:-$SHARED/eval}
DATA=${DATA:-$SHARED/data}
OUT=${OUT:-/tmp/news-enricher-wikigold-cv}
BIN=${BIN:-target/release/news-enricher}
mkdir -p "$OUT"

python3 - "$DATA/ner/wikigold.conll.txt" "$OUT" <<'PY'
import sys
src, out = sys.argv[1], sys.argv[2]
docs, cur = [], []
for line in open(src, encoding="utf-8"):
    if line.startswith("-DOCSTART-"):
        if cur:
            docs.append(cur)
        cur = [line]
    else:
        cur.append(line)
if cur:
    docs.append(cur)
docs = [d for d in docs if any(l.strip() and not l.startswith("-DOCSTART-") for l in d)]
for k in range(5):
    with open(f"{out}/train{k}.conll", "w", encoding="utf-8") as tr, \
         open(f"{out}/test{k}.conll", "w", encoding="utf-8") as te:
        for i, d in enumerate(docs):
            if not d[0].startswith("-DOCSTART-"):
                d = ["-DOCSTART- O\n", "\n"] + d
            (te if i % 5 == k else tr).write("".join(d))
PY

for k in 0 1 2 3 4; do
  mkdir -p "$OUT/model$k"
  cp models/sentiment.bin "$OUT/model$k/"
  "$BIN" train-ner --train "$DATA/ner/eng.train" "$OUT/train$k.conll" \
    --train-gum "$DATA/gum/gum-news.train.conll" --epochs 12 \
    --gazetteer models/gazetteer.tsv --clusters models/clusters.tsv \
    --out "$OUT/model$k/ner.bin" >"$OUT/train$k.log" 2>&1
  python3 "$EVAL/eval_ner.py" make-articles "$OUT/test$k.conll" "$OUT/test$k.articles.jsonl" >/dev/null
  NEWS_ENRICHER__NLP__MODELS_DIR="$OUT/model$k" "$BIN" enrich "$OUT/test$k.articles.jsonl" \
    >"$OUT/test$k.enriched.jsonl" 2>"$OUT/test$k.stderr"
  python3 "$EVAL/eval_ner.py" score "$OUT/test$k.conll" "$OUT/test$k.enriched.jsonl" \
    | tail -n 1 >"$OUT/test$k.score.json"
done

python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
tot = {}
for k in range(5):
    d = json.load(open(f"{out}/test{k}.score.json"))
    for t, v in list(d["per_type"].items()) + [("overall", d["overall"])]:
        a = tot.setdefault(t, [0, 0, 0])
        a[0] += v["tp"]; a[1] += v["fp"]; a[2] += v["fn"]
for t, (tp, fp, fn) in tot.items():
    print("wikigold 5-fold %-8s F1 %.2f (tp %d fp %d fn %d)" % (t, 200.0 * tp / (2 * tp + fp + fn), tp, fp, fn))
PY
