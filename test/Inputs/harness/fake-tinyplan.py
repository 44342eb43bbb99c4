#!/usr/bin/python3
"""A stand-in for `tinyplan MODEL -o DIR/model.c --name m` used to test the
verification harness before (or apart from) the C emitter.

It runs the real tinyplan (env TINYPLAN_REAL) with --emit=ir, so import errors
(unsupported operators, inputs that must be constants, ...) are the real ones;
when the import succeeds it copies <dir>/<graph name>/model.{c,h} from the
first directory of FAKE_PREBUILT (a ':'-separated list) that has them to the
output directory, or fails with an unsupported-operator error when none does.
Standard library only.
"""
import os
import re
import shutil
import subprocess
import sys

args = sys.argv[1:]
model = args[0]
out_c = args[args.index("-o") + 1]
p = subprocess.run([os.environ["TINYPLAN_REAL"], model, "--emit=ir", "-o", "-"],
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
if p.returncode != 0:
    sys.stderr.write(p.stderr)
    sys.exit(p.returncode)
name = re.match(r"graph @([\w.-]+)\(", p.stdout).group(1)
dirs = [os.path.join(d, name) for d in os.environ["FAKE_PREBUILT"].split(os.pathsep)]
src = next((d for d in dirs if os.path.isdir(d)), None)
if src is None:
    sys.stderr.write("tinyplan: error: %s: unsupported operator: not in the fake "
                     "emitter's prebuilt set (graph '%s')\n" % (model, name))
    sys.exit(1)
out_dir = os.path.dirname(os.path.abspath(out_c))
for f in ("model.c", "model.h"):
    shutil.copy(os.path.join(src, f), os.path.join(out_dir, f))
