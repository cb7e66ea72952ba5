#!/usr/bin/env python3
"""Pronoun linking on GUM's Wikinews documents (../shared/data/gum/gum-news.*.jsonl).

    scripts/eval_gum_coref.py make-articles GUM.jsonl ARTICLES.jsonl
    target/release/news-enricher enrich ARTICLES.jsonl > ENRICHED.jsonl
    scripts/eval_gum_coref.py score GUM.jsonl ENRICHED.jsonl

Each enricher entity is mapped to the GUM entity (coreference group) most of its name
mentions overlap. The items scored are GUM's third-person pronoun mentions (he, him, his,
himself, she, her, hers, herself, it, its, they, them, their) whose GUM entity the enricher
named before the pronoun (with any other entity there is nothing to link to). A pronoun is
linked right when the enricher has a reference at exactly its span whose entity maps to the
pronoun's GUM entity.

The baseline, computed here from the same output: the nearest preceding name mention of a
compatible entity (he/she family: PERSON; it/its: not PERSON; they/them/their: ORG).

Prints the share of pronouns linked right, for the stage and the baseline, overall and per
pronoun family, and the precision of the stage's pronoun references on the scored items.
"""
import json
import sys
from collections import Counter, defaultdict

FAMILIES = {
    "he": "he/she",
    "him": "he/she",
    "his": "he/she",
    "himself": "he/she",
    "she": "he/she",
    "her": "he/she",
    "hers": "he/she",
    "herself": "he/she",
    "it": "it/its",
    "its": "it/its",
    "they": "they",
    "them": "they",
    "their": "they",
}


def compatible(family, label):
    if family == "he/she":
        return label == "PERSON"
    if family == "it/its":
        return label != "PERSON"
    return label == "ORG"


def make_articles(gum, out):
    with open(gum) as f, open(out, "w") as o:
        for line in f:
            d = json.loads(line)
            o.write(json.dumps({"id": d["id"], "title": "", "body": d["body"]}) + "\n")


def score(gum, enriched):
    docs = {}
    with open(gum) as f:
        for line in f:
            d = json.loads(line)
            docs[d["id"]] = d
    totals = Counter()
    with open(enriched) as f:
        for line in f:
            a = json.loads(line)
            d = docs.get(a.get("id"))
            if d is None:
                continue
            score_doc(d, a["enrichment"] if "enrichment" in a else a, totals)
    families = sorted({k.split(":")[1] for k in totals if k.startswith("items:")})
    out = {}
    for fam in ["all"] + families:
        n = totals[f"items:{fam}"]
        out[fam] = {
            "pronouns": n,
            "stage": round(totals[f"stage:{fam}"] / n, 4) if n else None,
            "baseline": round(totals[f"base:{fam}"] / n, 4) if n else None,
            "stage_links": totals[f"made:{fam}"],
            "stage_precision": round(totals[f"stage:{fam}"] / totals[f"made:{fam}"], 4)
            if totals[f"made:{fam}"]
            else None,
        }
    for fam, r in out.items():
        print(
            f"{fam:8} pronouns {r['pronouns']:4}  stage {r['stage']}  baseline {r['baseline']}"
            f"  (stage links {r['stage_links']}, precision {r['stage_precision']})"
        )
    print(json.dumps(out["all"]))


def score_doc(d, enr, totals):
    # GUM mention span -> GUM entity id
    gum_at = {}
    for e in d["entities"]:
        for m in e["mentions"]:
            gum_at[(m["start"], m["end"])] = e["id"]
    gum_spans = sorted(gum_at)
    # enricher entity -> GUM entity by its name mentions (exact span, else the smallest
    # GUM mention covering it)
    ent_gum = {}
    names = []  # (start, entity index, label)
    refs = {}
    for i, e in enumerate(enr.get("entities", [])):
        votes = Counter()
        for m in e["mentions"]:
            if m.get("field"):
                continue
            names.append((m["start"], i, e["label"]))
            key = (m["start"], m["end"])
            if key in gum_at:
                votes[gum_at[key]] += 1
            else:
                cover = [s for s in gum_spans if s[0] <= m["start"] and m["end"] <= s[1]]
                if cover:
                    best = min(cover, key=lambda s: s[1] - s[0])
                    votes[gum_at[best]] += 1
        if votes:
            ent_gum[i] = votes.most_common(1)[0][0]
        for r in e.get("references", []):
            if not r.get("field"):
                refs[(r["start"], r["end"])] = i
    names.sort()
    first_named = defaultdict(lambda: None)
    for start, i, _ in names:
        g = ent_gum.get(i)
        if g is not None and (first_named[g] is None or start < first_named[g]):
            first_named[g] = start
    for e in d["entities"]:
        for m in e["mentions"]:
            fam = FAMILIES.get(m["text"].lower())
            if fam is None:
                continue
            fn = first_named[e["id"]]
            if fn is None or fn >= m["start"]:
                continue
            for f in ("all", fam):
                totals[f"items:{f}"] += 1
            r = refs.get((m["start"], m["end"]))
            if r is not None:
                for f in ("all", fam):
                    totals[f"made:{f}"] += 1
                if ent_gum.get(r) == e["id"]:
                    for f in ("all", fam):
                        totals[f"stage:{f}"] += 1
            base = None
            for start, i, label in reversed(names):
                if start < m["start"] and compatible(fam, label):
                    base = i
                    break
            if base is not None and ent_gum.get(base) == e["id"]:
                for f in ("all", fam):
                    totals[f"base:{f}"] += 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "make-articles":
        make_articles(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "score":
        score(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
