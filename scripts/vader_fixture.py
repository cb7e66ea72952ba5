#!/usr/bin/env python3
"""Write the VADER reference fixture used by tests/vader_reference.rs.

One job: score every text of the three VADER ground-truth sets (tweets, movie
review snippets, Amazon review snippets; 18,513 texts) with the reference
implementation, PyPI `vadersentiment` 3.3.2, and write one row per text so the
Rust port can be checked item by item.

Usage:
    pip install vadersentiment==3.3.2
    python3 scripts/vader_fixture.py [--data DIR] [--out FILE]

Output (UTF-8, LF, one header line), tab-separated columns:
    set  id  compound  neg  neu  pos  text
`text` is escaped so a row is always one line: backslash -> \\, tab -> \t,
LF -> \n, CR -> \r (no other escapes).  Scores are the values
`polarity_scores` returns (compound rounded to 4 decimals, the others to 3).

The pip package ships the two lexicons with CRLF line ends, the data folder
with LF; the script refuses to run unless both parse to the same entries, so
the fixture is valid for the LF files the Rust code loads.
"""

import argparse
import os
import sys

import vaderSentiment
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

EXPECTED_VERSION = "3.3.2"
SETS = (
    ("tweets", "tweets_GroundTruth.txt", 4200),
    ("movie", "movieReviewSnippets_GroundTruth.txt", 10605),
    ("amazon", "amazonReviewSnippets_GroundTruth.txt", 3708),
)


def package_version():
    try:
        from importlib.metadata import version

        return version("vaderSentiment")
    except Exception:  # pragma: no cover - very old Pythons only
        return getattr(vaderSentiment, "__version__", "unknown")


def escape(text):
    # Backslash first so the other escapes stay unambiguous.
    return (
        text.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def read_ground_truth(path):
    """Yield (id, mean, text): CRLF lines, `ID<TAB>MEAN<TAB>TEXT`."""
    # newline="" keeps the CRs so we split on the real record separator only.
    with open(path, encoding="utf-8", newline="") as f:
        data = f.read()
    for line in data.split("\r\n"):
        if not line:
            continue
        item_id, mean, text = line.split("\t", 2)
        yield item_id, float(mean), text


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="/work/shared/data/sentiment")
    ap.add_argument(
        "--out", default=os.path.join(here, "..", "tests", "fixtures", "vader_reference.tsv")
    )
    args = ap.parse_args()

    version = package_version()
    if version != EXPECTED_VERSION:
        sys.exit(f"need vadersentiment=={EXPECTED_VERSION}, found {version}")

    # The reference: the package with its own (CRLF) lexicons.
    reference = SentimentIntensityAnalyzer()
    # The same class fed the LF files the Rust port loads (an absolute path
    # wins in os.path.join inside the constructor).
    ours = SentimentIntensityAnalyzer(
        os.path.join(args.data, "vader_lexicon.txt"),
        os.path.join(args.data, "emoji_utf8_lexicon.txt"),
    )
    if reference.lexicon != ours.lexicon or reference.emojis != ours.emojis:
        sys.exit("the pip lexicons and the data-folder lexicons differ; fixture would be wrong")

    rows = 0
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        out.write("set\tid\tcompound\tneg\tneu\tpos\ttext\n")
        for set_name, file_name, expected in SETS:
            n = 0
            for item_id, _mean, text in read_ground_truth(os.path.join(args.data, file_name)):
                s = reference.polarity_scores(text)
                out.write(
                    f"{set_name}\t{item_id}\t{s['compound']!r}\t{s['neg']!r}\t"
                    f"{s['neu']!r}\t{s['pos']!r}\t{escape(text)}\n"
                )
                n += 1
            if n != expected:
                sys.exit(f"{file_name}: {n} items, expected {expected}")
            rows += n
    print(f"wrote {rows} rows to {os.path.normpath(args.out)}", file=sys.stderr)


if __name__ == "__main__":
    main()
