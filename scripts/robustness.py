#!/usr/bin/env python3
"""The text-robustness table of BENCHMARKS.md: the sample article (tests/data/iran-talks.json)
written as scrapers deliver it, in eleven ways, enriched by two binaries (for example main's
and this branch's), each compared with the same article written cleanly.

    scripts/robustness.py BEFORE_BINARY AFTER_BINARY

For each case and binary: quotations found, how many of them match the clean article's
(same text once decoded, same speaker), and junk entities (an entity whose text and label
the clean article does not have, such as `Zoe&#` or `Judge Ford</a`). The case files and
outputs go to a temporary folder, never into the repository.
"""
import html
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = json.loads((ROOT / "tests/data/iran-talks.json").read_text(encoding="utf-8"))
PEOPLE = ["Dmitri Peskow", "Donald Trump", "Vladimir Putin", "Esmail Baghaei",
          "Gideon Sa’ar", "Ayatollah Ali Khamenei"]


def paragraphs(body, wrap):
    return "\n".join(wrap(p) for p in body.split("\n"))


def link_people(body):
    for name in PEOPLE:
        slug = name.lower().replace(" ", "-").replace("’", "")
        body = body.replace(
            name, f'<a href="https://example.org/people/{slug}" title="{name}, profile">{name}</a>')
    return "<p>" + body.replace("\n", "</p>\n<p>") + "</p>"


SCRIPT = ('<script type="text/javascript">var q = "“We will never negotiate,” said Ali Larijani";'
          ' if (a<b && c>d) { track("Vladimir Putin"); }</script>'
          '<style>.pull-quote::before { content: "“"; } .by { font: 12px "Helvetica Neue"; }</style>')
COMMENT = '<!-- “This is not a quote,” said Nobody Special, editor. -->'


# name -> (clean body, dirty body); the clean body is the reference for both binaries.
def cases(body):
    baghaei = body.replace("Baghaei", "Baghaëi")
    zwsp = body
    for name, cut in [("Peskow", 3), ("Trump", 2), ("Putin", 3), ("Baghaei", 4), ("Khamenei", 4)]:
        zwsp = zwsp.replace(name, name[:cut] + "\u200b" + name[cut:])
    return [
        ("clean article", body, body),
        ("HTML references for quotes (`&#8220;...&#8221;`)", body,
         body.replace("“", "&#8220;").replace("”", "&#8221;")),
        ("`&rsquo;` in names and words", body, body.replace("’", "&rsquo;")),
        ("named reference in a name (`Bagha&euml;i`)", baghaei, body.replace("Baghaei", "Bagha&euml;i")),
        ("markup: `<p>` and `<a href>` around names", body, link_people(body)),
        ("`<script>` and `<style>` between paragraphs", body,
         paragraphs(body, lambda p: p + SCRIPT)),
        ("comments between paragraphs", body, paragraphs(body, lambda p: p + COMMENT)),
        ("zero-width space inside names (`Pes\\u200bkow`)", body, zwsp),
        ("CR-only line ends", body, body.replace("\n", "\r")),
        ("CRLF line ends", body, body.replace("\n", "\r\n")),
        ("NBSP for every space", body, body.replace(" ", "\u00a0")),
        ("UTF-8 BOM at the start of the file", body, None),
    ]


FORMAT = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def decode(text):
    """Roughly what a reader sees: markup dropped, references decoded, invisible characters
    removed, spaces and line ends plain (for matching quotations only)."""
    text = re.sub(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|</?[A-Za-z][^<>]*>", "", text,
                  flags=re.S | re.I)
    text = FORMAT.sub("", html.unescape(text))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def enrich(binary, path):
    run = subprocess.run([binary, "enrich", str(path)], capture_output=True, text=True)
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    return lines[0]["enrichment"] if lines else None


def write(folder, name, body, bom=False):
    path = folder / f"{name}.jsonl"
    article = dict(SAMPLE, body=body)
    path.write_text(("\ufeff" if bom else "") + json.dumps(article, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def score(out, ref):
    if out is None:
        return "rejected", "-"
    want = {(decode(q["text"]), q["speaker"]) for q in ref["quotes"]}
    right = sum((decode(q["text"]), q["speaker"]) in want for q in out["quotes"])
    names = {(e["text"], e["label"]) for e in ref["entities"]}
    junk = [e["text"] for e in out["entities"] if (e["text"], e["label"]) not in names]
    return f'{len(out["quotes"])} ({right} right)', str(len(junk))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    before, after = sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix="robustness-") as tmp:
        folder = Path(tmp)
        print("| case | quotes, before | junk entities, before | quotes, after "
              "| junk entities, after | warnings, after |")
        print("| --- | --- | --- | --- | --- | --- |")
        for i, (name, ref_body, dirty) in enumerate(cases(SAMPLE["body"])):
            ref = enrich(after, write(folder, f"{i}-clean", ref_body))
            path = (write(folder, f"{i}", ref_body, bom=True) if dirty is None
                    else write(folder, f"{i}", dirty))
            row = [name.replace("|", "\\|")]
            for binary in (before, after):
                row.extend(score(enrich(binary, path), ref))
            out = enrich(after, path)
            warns = sorted({w.split(":")[0] for w in out["warnings"]}) if out else []
            row.append(", ".join(f"`{w}`" for w in warns) or "none")
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
