#!/usr/bin/env python3
"""Check that include/uapi/linux/swaptab.h says what include/netlink/swaptab.yaml says.

The header is written by hand in the layout the kernel's YNL generator uses;
this test fails on any name, order or value the two disagree on.
"""
import re
import sys
from pathlib import Path

import yaml


def c_name(*parts):
    return "_".join(p.upper().replace("-", "_") for p in parts)


def header_enums(text):
    """Every enum body in the header, as lists of (name, explicit value or None)."""
    enums = []
    for body in re.findall(r"enum(?:\s+\w+)?\s*\{(.*?)\};", text, re.S):
        body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
        items = []
        for item in body.split(","):
            item = item.strip()
            if not item or item.startswith("__") or "_MAX =" in item:
                continue
            name, _, value = item.partition("=")
            items.append((name.strip(), value.strip() or None))
        enums.append(items)
    return enums


def expected(spec):
    fam = spec["name"]
    want = {"defines": {}, "enums": []}
    want["defines"][c_name(fam, "family-name")] = f'"{fam}"'
    for d in spec.get("definitions", []):
        if d["type"] == "const":
            want["defines"][c_name(fam, d["name"])] = str(d["value"])
        elif d["type"] == "enum":
            want["enums"].append([(c_name(fam, d["name"], e["name"] if isinstance(e, dict) else e), None)
                                  for e in d["entries"]])
    for aset in spec["attribute-sets"]:
        names = [c_name(fam, "a", aset["name"], a["name"]) for a in aset["attributes"]]
        want["enums"].append([(n, "1" if i == 0 else None) for i, n in enumerate(names)])
    ops = [c_name(fam, "cmd", o["name"]) for o in spec["operations"]["list"]]
    want["enums"].append([(n, "1" if i == 0 else None) for i, n in enumerate(ops)])
    for g in spec["mcast-groups"]["list"]:
        want["defines"][c_name(fam, "mcgrp", g["name"])] = f'"{g["name"]}"'
    return want


def main(root):
    spec = yaml.safe_load((root / "include/netlink/swaptab.yaml").read_text())
    text = (root / "include/uapi/linux/swaptab.h").read_text()
    want = expected(spec)
    defines = dict(re.findall(r"^#define\s+(SWAPTAB_\w+)\s+(.+?)\s*$", text, re.M))
    errors = []
    for name, value in want["defines"].items():
        if defines.get(name) != value:
            errors.append(f"#define {name}: header has {defines.get(name)!r}, spec says {value!r}")
    got = header_enums(text)
    if got != want["enums"]:
        for i, (g, w) in enumerate(zip(got, want["enums"])):
            if g != w:
                errors.append(f"enum #{i}: header {g}\n    spec   {w}")
        if len(got) != len(want["enums"]):
            errors.append(f"header has {len(got)} enums, spec describes {len(want['enums'])}")
    for e in errors:
        print("MISMATCH:", e)
    print("spec and header agree" if not errors else f"{len(errors)} mismatches")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2])))
