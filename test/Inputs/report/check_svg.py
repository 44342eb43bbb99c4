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
    top = max(1, report["totals"]["arena_bytes"], report["totals"]["lower_bound_bytes"])
    # Each rectangle where the plan puts it: the plot area spans the steps
    # from left to right and the bytes [0, top) from bottom to top; a
    # rectangle is at least 0.5 px high; coordinates are rounded to 0.01 px.
    plot = [r for r in root.iter(SVG + "rect") if r.get("class") == "plot"]
    assert len(plot) == 1, "no plot area"
    px, py = float(plot[0].get("x")), float(plot[0].get("y"))
    pw, ph = float(plot[0].get("width")), float(plot[0].get("height"))
    dx, dy = pw / steps, ph / top
    for x, x_end, y, y_end, b in boxes:
        assert abs(x - (px + dx * b["first"])) < 0.02, b
        assert abs(x_end - (px + dx * (b["last"] + 1))) < 0.02, b
        assert abs(y - (py + ph - dy * (b["offset"] + b["size"]))) < 0.02, b
        assert abs((y_end - y) - max(0.5, dy * b["size"])) < 0.02, b

    # No two rectangles overlap (edges may touch, up to the rounding); a
    # rectangle drawn 0.5 px high counts with its true height.
    ordered = sorted(((x, x_end, y, y + dy * b["size"], b)
                      for x, x_end, y, _, b in boxes), key=lambda box: box[0])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b[0] >= a[1] - 0.02:
                break
            if a[4].get("overlaps") == b[4]["id"] or b[4].get("overlaps") == a[4]["id"]:
                continue  # an output over its dying input (check_json.py checks it)
            assert a[3] <= b[2] + 0.02 or b[3] <= a[2] + 0.02, f"overlap: {a[4]} {b[4]}"

    lines = {line.get("class"): float(line.get("y1")) for line in root.iter(SVG + "line")}
    assert "arena" in lines and "lower-bound" in lines, lines
    for cls, key in (("arena", "arena_bytes"), ("lower-bound", "lower_bound_bytes")):
        want = py + ph - dy * report["totals"][key]
        assert abs(lines[cls] - want) < 0.02, f"{cls} line at {lines[cls]}, not {want}"
    labels = [t for t in root.iter(SVG + "text") if t.get("class") == "label"]
    print(f"svg ok: {len(rects)} buffer rectangles, {len(labels)} labelled, "
          f"{steps} steps, arena {report['totals']['arena_bytes']:,} B")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
