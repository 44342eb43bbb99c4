#!/usr/bin/python3
"""Checks a tinyplan --report-json file against docs/report.schema.json and
against itself: totals are the sums of the layers, the peak is the lower
bound, the verdict's arithmetic holds, and no two arena buffers live at a
common step share a byte (an independent check of the plan).

    check_json.py REPORT.json SCHEMA.json
Prints one summary line; exits 1 with the first violation.
"""
import json
import sys

import jsonschema


def main(path, schema_path):
    with open(path) as f:
        report = json.load(f)
    with open(schema_path) as f:
        schema = json.load(f)
    jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)

    t = report["totals"]
    nodes = [layer for layer in report["layers"] if layer["step"] is not None]
    assert sum(layer["params"] for layer in nodes) == t["params"], "params do not add up"
    assert sum(layer["macs"] for layer in nodes) == t["macs"], "MACs do not add up"
    assert [layer["step"] for layer in nodes] == list(range(len(nodes))), "steps out of order"
    assert t["gap_bytes"] == t["arena_bytes"] - t["lower_bound_bytes"]
    assert t["saved_bytes"] == t["no_reuse_bytes"] - t["arena_bytes"]
    assert t["arena_bytes"] >= t["packing_bound_bytes"] >= t["lower_bound_bytes"]
    assert t["proven_optimal"] == (t["arena_bytes"] == t["lower_bound_bytes"])
    # The exact packer may also prove an arena above the packing bound optimal.
    assert t["packing_optimal"] or t["arena_bytes"] > t["packing_bound_bytes"]
    assert report["peak"]["live_bytes"] == t["packing_bound_bytes"], "peak is not the packing bound"

    buffers = [b for b in report["plan"]["buffers"] if not b["external"]]
    for b in buffers:
        assert b["offset"] is not None and b["offset"] + b["size"] <= t["arena_bytes"], b
        assert b["offset"] % report["plan"]["align"] == 0, b
    live_at_peak = sorted(b["id"] for b in buffers
                          if b["first"] <= report["peak"]["step"] <= b["last"])
    assert sorted(report["peak"]["buffers"]) == live_at_peak, "peak buffers"
    events = sorted(buffers, key=lambda b: b["first"])
    for i, a in enumerate(events):
        for b in events[i + 1:]:
            if b["first"] > a["last"]:
                break
            if a.get("overlaps") == b["id"] or b.get("overlaps") == a["id"]:
                # An output over its dying input: only at the output's first
                # step, starting at least its head below the input.
                out, inp = (a, b) if a.get("overlaps") == b["id"] else (b, a)
                assert inp["last"] == out["first"], f"overlap in time: {a} {b}"
                assert (out["offset"] + out["overlap_head"] <= inp["offset"] or
                        inp["offset"] + inp["size"] <= out["offset"]), f"overlap: {a} {b}"
                continue
            assert (a["offset"] + a["size"] <= b["offset"] or
                    b["offset"] + b["size"] <= a["offset"]), f"overlap: {a} {b}"
    for layer in report["layers"]:
        if layer["arena_begin"] is not None:
            assert layer["arena_end"] <= t["arena_bytes"], layer

    code = report["code"]
    if code["estimated"]:
        assert code["code_bytes"] == code["model_bytes"] + code["library_bytes"]
        assert code["library_bytes"] == sum(code["library_functions"].values())

    v = report["verdict"]
    if v is not None:
        io = 0 if t["io_in_arena"] else t["input_bytes"] + t["output_bytes"]
        assert v["ram_needed"] == t["arena_bytes"] + report["stack_bytes"] + io, "RAM needed"
        flash = t["weight_bytes"] + (code["code_bytes"] if code["estimated"] else 0)
        assert v["flash_needed"] == flash, "flash needed"
        assert v["ram_with_weights"] == v["ram_needed"] + t["weight_bytes"]
        for kind in ("ram", "flash"):
            budget = v[kind + "_budget"]
            if budget is None:
                assert v[kind + "_headroom"] is None and v["fits_" + kind]
            else:
                assert v[kind + "_headroom"] == budget - v[kind + "_needed"]
                assert v["fits_" + kind] == (v[kind + "_needed"] <= budget)
        block = v["largest_ram_block"]
        assert v["fits_ram_block"] == (block is None or t["arena_bytes"] <= block)
        assert v["fits"] == (v["fits_ram"] and v["fits_ram_block"] and v["fits_flash"])

    print(f"report ok: {len(report['layers'])} layers, {len(buffers)} arena buffers, "
          f"verdict {'none' if v is None else ('fits' if v['fits'] else 'does not fit')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
