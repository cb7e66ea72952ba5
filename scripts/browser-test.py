#!/usr/bin/env python3
"""Drive the `serve` page in a real headless browser and check what a person would see.

    scripts/browser-test.py [--bin target/release/news-enricher] [--out target/browser-test]

Needs Debian's `chromium` and `chromium-driver` (.ci/run installs them by name); nothing else
beyond the Python standard library: it speaks the W3C WebDriver protocol to chromedriver
over HTTP. It starts `news-enricher serve` on a free loopback port, then:

1. loads the bundled sample with the page's button, submits it, and checks the DOM against
   the API's own answer for the same article: the article's text shown whole, every entity
   mention and reference (pronoun, description) highlighted with its entity (hover text
   with salience and sentiment), every quotation marked with its speaker, a table row per
   entity, a list item per quote; clicking an entity row marks all its mentions;
2. types an article full of markup (`<script>`, `<img onerror>`, `<b>`) and checks that it is
   shown as text and that nothing of it ran;
3. submits a 5,000-word article (the sample's paragraphs repeated) three times and reports the
   time the page takes to draw the result (from receiving the HTML to the next frame), and
   checks it stays readable: no horizontal scrolling, a bounded text column, a side panel
   that scrolls on its own.

Screenshots go to --out. Exit status 1 if any check failed.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
ROOT = Path(__file__).resolve().parent.parent
# Words in the long article (the readability case).
LONG_ARTICLE_WORDS = 5000
# Runs of the long article; the median is reported.
LONG_RUNS = 3
# A text column wider than this (CSS px) is tiring to read; the stylesheet caps it at 46rem.
MAX_TEXT_COLUMN_PX = 800


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: object | None = None, raw: bytes | None = None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.status, r.read()


def wait_http(url: str, seconds: float) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            http("GET", url)
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    raise SystemExit(f"browser-test: nothing answered at {url} within {seconds} s")


class Browser:
    """A chromedriver session: just the WebDriver commands this test needs."""

    def __init__(self, driver_port: int, chromium: str):
        self.base = f"http://127.0.0.1:{driver_port}"
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": chromium,
                        "args": [
                            "--headless=new",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-dev-shm-usage",
                            "--window-size=1400,1000",
                        ],
                    },
                }
            }
        }
        self.session = self._call("POST", "/session", caps)["sessionId"]

    def _call(self, method: str, path: str, body: object | None = None):
        try:
            _, raw = http(method, self.base + path, body if body is not None else {} if method == "POST" else None)
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"WebDriver {method} {path}: {e.read().decode(errors='replace')}") from None
        return json.loads(raw)["value"]

    def cmd(self, method: str, path: str, body: object | None = None):
        return self._call(method, f"/session/{self.session}{path}", body)

    def go(self, url: str) -> None:
        self.cmd("POST", "/url", {"url": url})

    def js(self, script: str, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css: str) -> str:
        return self.cmd("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def click(self, css: str) -> None:
        self.cmd("POST", f"/element/{self.find(css)}/click")

    def type(self, css: str, text: str) -> None:
        el = self.find(css)
        self.cmd("POST", f"/element/{el}/clear")
        self.cmd("POST", f"/element/{el}/value", {"text": text})

    def wait(self, script: str, seconds: float = 60, *args):
        deadline = time.time() + seconds
        while time.time() < deadline:
            value = self.js(script, *args)
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for: {script}")

    def window(self, width: int, height: int) -> None:
        self.cmd("POST", "/window/rect", {"width": width, "height": height})

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self.cmd("GET", "/screenshot")))

    def quit(self) -> None:
        try:
            self.cmd("DELETE", "")
        except Exception:  # noqa: BLE001 - the browser may already be gone
            pass


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, name: str, ok: bool, detail: object = "") -> None:
        if ok:
            self.passed += 1
            print(f"  ok    {name}")
        else:
            self.failed += 1
            print(f"  FAIL  {name}: {detail}")


# What the page shows, read from the DOM in one call.
READ_DOM = """
const r = document.getElementById('result');
const sec = r.querySelector('section.article');
const marks = (root) => Array.from(root.querySelectorAll('mark.ent')).map(m => [m.dataset.entity, m.textContent, m.title]);
return {
  body: sec.querySelector('.text').textContent,
  title: sec.querySelector('h2.title').textContent,
  bodyMarks: marks(sec.querySelector('.text')),
  titleMarks: marks(sec.querySelector('h2.title')),
  quotes: Array.from(sec.querySelectorAll('.text .quote')).map(q => [q.dataset.quote, q.textContent, q.dataset.speaker || null, q.classList.contains('cont')]),
  rows: sec.querySelectorAll('table.entities tr[data-entity]').length,
  items: sec.querySelectorAll('ol.quotes li').length,
  sentences: sec.querySelectorAll('.text .sent').length,
  renderMs: parseFloat(r.dataset.renderMs),
  totalMs: parseFloat(r.dataset.totalMs),
};
"""


def joined(pairs):
    """Concatenate texts per key, in order (a mark cut by a sentence end comes in pieces)."""
    out: dict[str, str] = {}
    for key, text in pairs:
        out[key] = out.get(key, "") + text
    return out


def submit(b: Browser, count: int) -> dict:
    b.click("#enrich")
    b.wait(f"return document.getElementById('result').dataset.count === '{count}'"
           " && !document.getElementById('result').hasAttribute('aria-busy');", 120)
    return b.js(READ_DOM)


def check_against_api(c: Checks, dom: dict, api: dict, label: str) -> None:
    body = api["body"]
    title = api.get("title") or ""
    e = api["enrichment"]
    c.check(f"{label}: the body is shown whole", dom["body"] == body)
    for field, marks, text in (("body", dom["bodyMarks"], body), ("title", dom["titleMarks"], title)):
        want = {}
        for ent in e["entities"]:
            # Names and the pronouns and descriptions linked to the entity (`references`).
            spans = [m for m in ent["mentions"] + ent.get("references", [])
                     if (m.get("field") or "body") == field]
            if spans:
                want[ent["id"]] = "".join(text[m["start"]:m["end"]] for m in sorted(spans, key=lambda m: m["start"]))
        got = joined((m[0], m[1]) for m in marks)
        c.check(f"{label}: every {field} mention highlighted with its entity", got == want, (got, want))
    tips_ok = all("salience" in m[2] and "sentiment" in m[2] for m in dom["bodyMarks"])
    c.check(f"{label}: hover text names entity, salience and sentiment", tips_ok and dom["bodyMarks"], dom["bodyMarks"][:2])
    quotes = [q for q in e["quotes"] if (q.get("field") or "body") == "body"]
    got = joined((q[0], q[1]) for q in dom["quotes"])
    want = {f"q{i + 1}": body[q["start"]:q["end"]] for i, q in enumerate(e["quotes"]) if q in quotes}
    c.check(f"{label}: every quotation marked", got == want, (got, want))
    speakers = [q[2] for q in dom["quotes"] if not q[3]]
    c.check(f"{label}: each quotation marked with its speaker",
            speakers == [q["speaker"] for q in quotes], (speakers, [q["speaker"] for q in quotes]))
    c.check(f"{label}: a table row per entity, a list item per quote",
            (dom["rows"], dom["items"]) == (len(e["entities"]), len(e["quotes"])),
            (dom["rows"], dom["items"]))
    body_sentences = [s for s in e["sentiment"]["sentences"] if (s.get("field") or "body") == "body"]
    c.check(f"{label}: every sentence shaded", dom["sentences"] >= len(body_sentences) > 0,
            (dom["sentences"], len(body_sentences)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=str(ROOT / "target/release/news-enricher"))
    ap.add_argument("--out", default=str(ROOT / "target/browser-test"))
    ap.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    ap.add_argument("--chromedriver", default=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    port, driver_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, RUST_LOG="warn")
    server = subprocess.Popen([args.bin, "serve", "--listen", f"127.0.0.1:{port}"], env=env)
    driver = subprocess.Popen([args.chromedriver, f"--port={driver_port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    browser = None
    c = Checks()
    try:
        wait_http(base + "/healthz", 60)
        wait_http(f"http://127.0.0.1:{driver_port}/status", 30)
        browser = Browser(driver_port, args.chromium)
        b = browser
        b.go(base + "/")

        print("browser-test: the sample")
        b.click("#sample")
        b.wait("return document.getElementById('body').value.length > 0;")
        dom = submit(b, 1)
        sample = json.loads(http("GET", base + "/v1/sample")[1])
        article = {"id": "page-1", "title": sample.get("title"), "body": sample["body"]}
        api = json.loads(http("POST", base + "/v1/enrich", article)[1])
        check_against_api(c, dom, api, "sample")
        b.window(1400, 1700)
        b.js("window.scrollTo(0, 0);")
        b.screenshot(out / "serve-page.png")
        first = api["enrichment"]["entities"][0]["id"]
        b.click(f'table.entities tr[data-entity="{first}"]')
        focused = b.js("return document.querySelectorAll('mark.ent.focus').length;")
        c.check("sample: clicking an entity row marks all its mentions",
                focused >= len(api["enrichment"]["entities"][0]["mentions"]), focused)
        b.js("document.getElementById('result').scrollIntoView();")
        b.screenshot(out / "serve-sample.png")
        b.window(1400, 1000)

        print("browser-test: an article full of markup")
        evil_title = "<script>window.__pwned = 1</script> Markup <b>test</b>"
        evil_body = ('Barack Obama said "<img src=x onerror="window.__pwned = 2"> is fine" in '
                     '<b>Paris</b> on Monday.\n<script>window.__pwned = 3</script> Angela Merkel agreed.')
        b.type("#title", evil_title)
        b.type("#body", evil_body)
        dom = submit(b, 2)
        ran = b.js("return window.__pwned === undefined ? null : window.__pwned;")
        c.check("markup: nothing of it ran", ran is None, ran)
        elements = b.js("return document.querySelectorAll('#result script, #result img, #result b').length;")
        c.check("markup: no element made from it", elements == 0, elements)
        c.check("markup: shown as text", dom["body"] == evil_body and dom["title"] == evil_title,
                (dom["title"], dom["body"]))
        b.js("document.getElementById('result').scrollIntoView();")
        b.screenshot(out / "serve-markup.png")

        print(f"browser-test: a {LONG_ARTICLE_WORDS:,}-word article")
        paragraphs = [p for p in sample["body"].split("\n") if p.strip()]
        long_paragraphs, words, i = [], 0, 0
        while words < LONG_ARTICLE_WORDS:
            p = paragraphs[i % len(paragraphs)]
            long_paragraphs.append(p)
            words += len(p.split())
            i += 1
        long_body = "\n".join(long_paragraphs)
        render_ms, total_ms = [], []
        for run in range(LONG_RUNS):
            b.js("document.getElementById('title').value = arguments[0];"
                 "document.getElementById('body').value = arguments[1];",
                 sample.get("title") or "", long_body)
            dom = submit(b, 3 + run)
            render_ms.append(dom["renderMs"])
            total_ms.append(dom["totalMs"])
        c.check("long: the body is shown whole", dom["body"] == long_body)
        layout = b.js("""
            const text = document.querySelector('#result .text');
            const side = getComputedStyle(document.querySelector('#result .side'));
            return {overflow: document.documentElement.scrollWidth - window.innerWidth,
                    column: text.getBoundingClientRect().width,
                    position: side.position, scroll: side.overflowY,
                    marks: document.querySelectorAll('#result mark.ent').length};""")
        c.check("long: no horizontal scrolling", layout["overflow"] <= 0, layout)
        c.check("long: the text column stays narrow enough to read",
                0 < layout["column"] <= MAX_TEXT_COLUMN_PX, layout)
        c.check("long: the side panel stays in view and scrolls on its own",
                layout["position"] == "sticky" and layout["scroll"] == "auto", layout)
        b.js("document.getElementById('result').scrollIntoView();")
        b.screenshot(out / "serve-5000-words.png")
        print(f"browser-test: {words:,}-word article, {layout['marks']:,} highlighted mentions: "
              f"drawn in {statistics.median(render_ms):.0f} ms (median of {LONG_RUNS}: "
              f"{', '.join(f'{x:.0f}' for x in render_ms)} ms); submit to drawn "
              f"{statistics.median(total_ms):.0f} ms")
    except Exception as e:  # noqa: BLE001 - any error is a failed run, reported as such
        c.check("the run", False, repr(e))
    finally:
        if browser:
            browser.quit()
        for p in (driver, server):
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
    print(f"browser-test: screenshots in {out}")
    print(f"browser-test: {c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
