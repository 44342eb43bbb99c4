#!/usr/bin/python3
"""Code size of the generated C on a Cortex-M4F, measured against tinyplan's estimate.

    bench/codesize.py libm                 # bytes each C library function adds
    bench/codesize.py models [MODEL ...]   # estimate vs arm-none-eabi-gcc -Os, per model
    bench/codesize.py fit [MODEL ...]      # least-squares fit of the estimate's coefficients

Flags of every compile: -Os -mcpu=cortex-m4 -mthumb -mfloat-abi=hard
-mfpu=fpv4-sp-d16 -ffunction-sections, newlib-nano, --gc-sections. docs/report.md
explains the model; lib/CodeGen/CodeSize.cpp holds its constants (the `libm`
table and the coefficients `fit` prints).

`models` compiles each model's C (weights in their own file, not counted) and
sums the .text sections of model.o: the kernels, NAME_run and the accessors,
which is what the estimate's "model code" predicts; the C library functions
are a separate, measured table. Default models: the LeNet-5, the small real
models of ../shared/models that tinyplan compiles, and the ONNX node tests it
compiles. Figures, not a test: nothing passes or fails.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[0] = os.path.join(ROOT, "scripts")
from mcu import firmware  # noqa: E402

SHARED = os.path.join(os.path.dirname(ROOT), "shared", "models")
TINYPLAN = os.environ.get("TINYPLAN", os.path.join(ROOT, "build", "tools", "tinyplan", "tinyplan"))
CC = "arm-none-eabi-gcc"
CFLAGS = ["-Os"] + firmware.TARGET_FLAGS + ["-std=c99", "-ffunction-sections",
                                            "-fdata-sections"]
LDFLAGS = ["-specs=nano.specs", "-specs=nosys.specs", "-Wl,--gc-sections"]

# name -> (C type of the arguments and result, number of arguments)
LIBM = {}
for base, arity in [("exp", 1), ("expm1", 1), ("log", 1), ("log1p", 1), ("pow", 2),
                    ("sqrt", 1), ("tanh", 1), ("sinh", 1), ("cosh", 1), ("erf", 1),
                    ("fma", 3), ("floor", 1), ("ceil", 1), ("round", 1), ("nearbyint", 1),
                    ("rint", 1), ("trunc", 1), ("fabs", 1), ("fmod", 2), ("fmax", 2),
                    ("fmin", 2), ("sin", 1), ("cos", 1), ("tan", 1), ("asin", 1),
                    ("acos", 1), ("atan", 1), ("atan2", 2), ("asinh", 1), ("acosh", 1),
                    ("atanh", 1)]:
    LIBM[base + "f"] = ("float", arity)
    LIBM[base] = ("double", arity)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def text_bytes(path):
    """Bytes of code and read-only data in a linked image (arm-none-eabi-size's text)."""
    return int(run(["arm-none-eabi-size", path]).stdout.splitlines()[1].split()[0])


def measure_libm():
    """Bytes a program grows by when it calls one function, dependencies included."""
    sizes = {}
    with tempfile.TemporaryDirectory() as tmp:
        def image(body, decls):
            src = os.path.join(tmp, "main.c")
            with open(src, "w") as f:
                f.write("#include <math.h>\n#include <string.h>\n" + decls +
                        "int main(void) {\n" + body + "\n  return 0;\n}\n")
            elf = os.path.join(tmp, "main.elf")
            run([CC, *CFLAGS, *LDFLAGS, src, "-lm", "-o", elf])
            return text_bytes(elf)

        decls = ("volatile float fa = 1.5f, fb = 0.5f, fc = 0.25f;\n"
                 "volatile double da = 1.5, db = 0.5, dc = 0.25;\n"
                 "static char dst[64], src[64];\nvolatile unsigned n = 16;\n")
        base = image("  fa = fb; da = db; dst[0] = src[n];", decls)
        for name, (ctype, arity) in sorted(LIBM.items()):
            p = "f" if ctype == "float" else "d"
            args = ", ".join(p + "abc"[i] for i in range(arity))
            # Inlined as one instruction (fabsf, fmaf on an FPU): 0, not the
            # few bytes of noise the different main() gives.
            sizes[name] = max(0, image(f"  {p}a = {name}({args}); dst[0] = src[n];", decls) - base)
        sizes["memcpy"] = image("  fa = fb; da = db; memcpy(dst, src, n);", decls) - base
        sizes["memset"] = image("  fa = fb; da = db; memset(dst, 0, n);", decls) - base
        sizes["memmove"] = image("  fa = fb; da = db; memmove(dst, src, n);", decls) - base
    return sizes


def default_models():
    models = [os.path.join(ROOT, "onnx_models", "lenet5.onnx")]
    for rel in ["onnx2c/test/mnist/model.onnx", "onnx-mlir/mnist.onnx", "burn/mnist.onnx",
                "onnx2c/examples/atmega_mnist/mnist.simplified.onnx",
                "ultraface/version-RFB-320_simplified.onnx"]:
        models.append(os.path.join(SHARED, rel))
    for dirpath, _, files in os.walk(os.path.join(SHARED, "mlperf-tiny-results")):
        models += [os.path.join(dirpath, f) for f in sorted(files) if f.endswith(".onnx")]
    node = os.path.join(SHARED, "onnx-node-v1.12.0")
    if os.path.isdir(node):
        models += [os.path.join(node, t, "model.onnx") for t in sorted(os.listdir(node))]
    return [m for m in models if os.path.isfile(m)]


def base_image(tmp):
    """Bytes of an empty program, the baseline a linked model is measured against."""
    src = os.path.join(tmp, "base.c")
    with open(src, "w") as f:
        f.write("volatile void *keep;\nint main(void) { keep = 0; return 0; }\n")
    elf = os.path.join(tmp, "base.elf")
    run([CC, *CFLAGS, *LDFLAGS, src, "-o", elf])
    return text_bytes(elf)


def measure_model(model, tmp, base):
    """(tinyplan's report JSON, measured .text of model.o, measured code of the
    linked image: its text minus the weights and an empty program) or None if
    tinyplan cannot compile the model."""
    c = os.path.join(tmp, "m.c")
    report = os.path.join(tmp, "m.json")
    proc = subprocess.run([TINYPLAN, model, "-o", c, "--name", "m", "--weights-file",
                           os.path.join(tmp, "w.c"), "--report-json", report],
                          capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        return None
    with open(report) as f:
        data = json.load(f)
    obj = os.path.join(tmp, "m.o")
    run([CC, *CFLAGS, "-c", c, "-o", obj])
    sections = run(["arm-none-eabi-size", "-A", obj]).stdout.splitlines()
    measured = sum(int(line.split()[1]) for line in sections if line.startswith(".text"))
    # A main that keeps m_run without knowing its signature.
    main = os.path.join(tmp, "main.c")
    with open(main, "w") as f:
        f.write("extern int m_run();\nvolatile void *keep;\n"
                "int main(void) { keep = (void *)m_run; return 0; }\n")
    elf = os.path.join(tmp, "m.elf")
    run([CC, *CFLAGS, *LDFLAGS, main, c, os.path.join(tmp, "w.c"), "-lm", "-o", elf])
    linked = text_bytes(elf) - base - data["totals"]["weight_bytes"]
    return data, measured, linked


def label(model):
    model = os.path.abspath(model)
    rel = os.path.relpath(model, SHARED) if model.startswith(SHARED) else os.path.relpath(model, ROOT)
    return rel.replace("onnx-node-v1.12.0/", "").replace("/model.onnx", "")


def models_table(models):
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = base_image(tmp)
        for model in models:
            try:
                result = measure_model(model, tmp, base)
            except subprocess.CalledProcessError as e:
                print(f"note: {label(model)}: {' '.join(e.cmd[:1])} failed: "
                      f"{e.stderr.strip().splitlines()[-1] if e.stderr.strip() else e.returncode}",
                      file=sys.stderr)
                continue
            if result:
                rows.append((label(model), *result))
    return rows


def error_line(what, errors):
    errors = sorted(errors)
    return (f"{what}: median |error| {errors[len(errors) // 2]:.0%}, "
            f"90th percentile {errors[int(len(errors) * 0.9)]:.0%}, max {errors[-1]:.0%}")


def main(argv):
    if len(argv) < 2 or argv[1] not in ("libm", "models", "fit"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if argv[1] == "libm":
        sizes = measure_libm()
        print("// name, bytes (arm-none-eabi-gcc -Os, Cortex-M4F hard float, newlib-nano)")
        for name in sorted(sizes):
            print(f'    {{"{name}", {sizes[name]}}},')
        return 0
    models = argv[2:] or default_models()
    rows = models_table(models)
    if argv[1] == "fit":
        import numpy as np
        a = np.array([[r[1]["code"]["kernel_tokens"], r[1]["code"]["call_tokens"]]
                      for r in rows], float)
        y = np.array([r[2] for r in rows], float)
        coef, *_ = np.linalg.lstsq(a, y, rcond=None)
        print(f"bytes = {coef[0]:.4f} * kernel tokens + {coef[1]:.4f} * call tokens "
              f"({len(rows)} models)")
        return 0
    print("model code = kernels + NAME_run (.text of model.o); all code = the linked image "
          "minus weights and an empty program (C library included)")
    print(f"{'model':50} {'model code':>10} {'measured':>9} {'error':>6}"
          f" {'all code':>9} {'measured':>9} {'error':>6}")
    model_errors, all_errors = [], []
    for name, data, measured, linked in rows:
        code = data["code"]
        error = (code["model_bytes"] - measured) / measured if measured else 0.0
        error_all = (code["code_bytes"] - linked) / linked if linked else 0.0
        model_errors.append(abs(error))
        all_errors.append(abs(error_all))
        print(f"{name[:50]:50} {code['model_bytes']:10} {measured:9} {error:+6.0%}"
              f" {code['code_bytes']:9} {linked:9} {error_all:+6.0%}")
    if rows:
        print(f"{len(rows)} models")
        print(error_line("model code", model_errors))
        print(error_line("all code", all_errors))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
