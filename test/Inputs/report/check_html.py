#!/usr/bin/python3
"""Checks a tinyplan --report-html page: self-contained (no script, no link,
no src or href attribute: nothing loaded from elsewhere), with the inline
plan picture (one buffer rectangle per arena buffer of the --report-json of
the same run), the totals, the verdict when there is one, and a table row
per layer.

    check_html.py PAGE.html REPORT.json
"""
import html.parser
import json
import sys


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def main(html_path, json_path):
    page = Page()
    with open(html_path, encoding="utf-8") as f:
        page.feed(f.read())
    with open(json_path) as f:
        report = json.load(f)
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed"), tag
        for name in ("src", "href", "srcset", "data"):
            assert name not in attrs, (tag, attrs)
        assert "url(" not in attrs.get("style", ""), (tag, attrs)
    text = "".join(page.text)
    assert "@import" not in text and "url(" not in text, "a stylesheet that loads something"
    buffers = [b for b in report["plan"]["buffers"] if not b["external"]]
    rects = [a for t, a in page.tags if t == "rect" and a.get("class") == "buffer"]
    assert len(rects) == len(buffers), (len(rects), len(buffers))
    rows = [t for t, _ in page.tags if t == "tr"]
    assert len(rows) == len(report["layers"]) + 1, (len(rows), len(report["layers"]))
    assert f"{report['totals']['params']:,}" in text and "arena (RAM)" in text
    if report["verdict"] is not None:
        assert "verdict for " in text
    print(f"html ok: self-contained, {len(rects)} buffer rectangles, {len(rows) - 1} layer rows"
          + (", verdict" if report["verdict"] is not None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
