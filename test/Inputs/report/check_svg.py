#!/usr/bin/python3
"""Checks a tinyplan --plan-svg picture against the --report-json of the same
run: well-formed XML, one <rect class="buffer"> per arena buffer, each with a
<title> naming its buffer and bytes, placed where the buffer's steps and bytes
say, no two of them overlapping; the arena and lower-bound lines at their
heights.

    check_svg.py PLAN.svg REPORT.json
"""
import json
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def main(svg_path, json_path):
    root = ET.parse(svg_path).getroot()
    assert root.tag == SVG + "svg", root.tag
    with open(json_path) as f:
        report = json.load(f)
    buffers = [b for b in report["plan"]["buffers"] if not b["external"]]
    rects = [r for r in root.iter(SVG + "rect") if r.get("class") == "buffer"]
    assert len(rects) == len(buffers), f"{len(rects)} rectangles for {len(buffers)} buffers"

    # The plot's scale from the first buffer: x = left + step * dx.
    boxes = []
    for rect, buffer in zip(rects, buffers):
        title = rect.find(SVG + "title")
        assert title is not None and title.text, "a rectangle without a tooltip"
        want = f"{buffer['size']:,} B at [{buffer['offset']}, {buffer['offset'] + buffer['size']})"
        assert title.text.startswith(buffer["label"] + ": " + want), (title.text, buffer)
        assert f"steps {buffer['first']} to {buffer['last']}" in title.text, title.text
        x, y = float(rect.get("x")), float(rect.get("y"))
        w, h = float(rect.get("width")), float(rect.get("height"))
        boxes.append((x, x + w, y, y + h, buffer))
    steps = max(1, sum(1 for layer in report["layers"] if layer["step"] is not None))
    arena = max(1, report["totals"]["arena_bytes"], report["totals"]["lower_bound_bytes"])
    # The same proportions as the plan: the left edge is linear in the first
    # step, the top edge in the buffer's end offset, the width in the
    # lifetime and the height in the bytes (a rectangle is at least 0.5 px
    # high). The scales come from the two buffers furthest apart, as the
    # coordinates are rounded to 0.01 px.
    def scale_of(key, coord):
        lo = min(boxes, key=lambda box: key(box[4]))
        hi = max(boxes, key=lambda box: key(box[4]))
        if key(hi[4]) == key(lo[4]):
            return lo, 0.0
        return lo, (coord(hi) - coord(lo)) / (key(hi[4]) - key(lo[4]))

    first = lambda b: b["first"]
    end = lambda b: b["offset"] + b["size"]
    left = lambda box: box[0]
    top = lambda box: box[2]
    (x_ref, dx), (y_ref, dy) = scale_of(first, left), scale_of(end, top)
    for box in boxes:
        x, x_end, y, y_end, b = box
        assert abs(x - left(x_ref) - dx * (first(b) - first(x_ref[4]))) < 0.05, b
        assert abs(y - top(y_ref) - dy * (end(b) - end(y_ref[4]))) < 0.05, b
        if dx:
            assert abs((x_end - x) - dx * (b["last"] - b["first"] + 1)) < 0.05, b
        if dy:
            assert abs((y_end - y) - max(0.5, -dy * b["size"])) < 0.05, b
    # No two rectangles overlap (edges may touch, up to the rounding); a
    # rectangle drawn 0.5 px high counts with its true height.
    ordered = sorted(((x, x_end, y, y + abs(dy) * b["size"], b)
                      for x, x_end, y, _, b in boxes), key=lambda box: box[0])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b[0] >= a[1] - 0.02:
                break
            assert a[3] <= b[2] + 0.02 or b[3] <= a[2] + 0.02, f"overlap: {a[4]} {b[4]}"

    lines = {line.get("class"): float(line.get("y1")) for line in root.iter(SVG + "line")}
    assert "arena" in lines and "lower-bound" in lines, lines
    assert lines["arena"] <= lines["lower-bound"] + 0.01, "arena line below the lower bound"
    labels = [t for t in root.iter(SVG + "text") if t.get("class") == "label"]
    print(f"svg ok: {len(rects)} buffer rectangles, {len(labels)} labelled, "
          f"{steps} steps, arena {arena:,} B")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
