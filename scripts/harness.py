"""Shared pieces of tinyplan's verification harness (nodetests.py, modeltests.py).

One model goes through: `tinyplan model.onnx -o DIR/model.c --name m` -> a generated
main.c that embeds the inputs as exact bit patterns, checks the model.h macros, calls
m_run twice and prints the outputs as hex bit patterns -> `cc -std=c99 ... -Werror` ->
run -> compare with the reference outputs (floats: |a-r| <= atol + rtol*|r|, NaN
matches NaN, infinities exactly; integers and bools exactly; element counts and shapes
exactly). With --mcu the same main.c and model.c then run on an emulated Cortex-M4F,
or with --mcu-cpu m3 / m0 on an emulated Cortex-M3 or Cortex-M0 (scripts/mcu/,
verify_on_mcu).

Needs Debian's python3-numpy and python3-onnx (1.12).
"""

import os
import re
import shlex
import shutil
import subprocess
import time

import numpy as np

# numpy dtype name -> (model.h dtype tag, C type the generated code uses,
#                      unsigned type of the same width used for the bit patterns).
DTYPES = {
    "float32": ("f32", "float", "uint32_t"),
    "float64": ("f64", "double", "uint64_t"),
    "float16": ("f16", "uint16_t", "uint16_t"),
    "int8": ("i8", "int8_t", "uint8_t"),
    "uint8": ("u8", "uint8_t", "uint8_t"),
    "int16": ("i16", "int16_t", "uint16_t"),
    "uint16": ("u16", "uint16_t", "uint16_t"),
    "int32": ("i32", "int32_t", "uint32_t"),
    "uint32": ("u32", "uint32_t", "uint32_t"),
    "int64": ("i64", "int64_t", "uint64_t"),
    "uint64": ("u64", "uint64_t", "uint64_t"),
    "bool": ("bool", "uint8_t", "uint8_t"),
}
UINT_OF_SIZE = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}

# tinyplan exit-1 diagnostics that mean "this model uses something not supported":
# the test counts as unsupported, not failed.
UNSUPPORTED_RE = re.compile(r"unsupported|not supported", re.IGNORECASE)
# An input that must be a compile-time constant (Reshape's shape, Slice's starts...).
RUNTIME_CONST_RE = re.compile(
    r"input '[^']*' \('([^']+)'\) is computed at run time; it must be a compile-time constant")

# Elements of padding after every output array, filled with a pattern that must
# survive the call: catches writes past the end without a sanitizer.
GUARD = 16

DEFAULT_RTOL = 1e-4
DEFAULT_ATOL = 1e-5


class Outcome:
    """What happened to one test: status is passed / failed / unsupported."""

    def __init__(self, name, status, detail="", max_abs=0.0, max_rel=0.0, seconds=0.0,
                 note=""):
        self.name = name
        self.status = status
        self.detail = detail
        self.max_abs = max_abs
        self.max_rel = max_rel
        self.seconds = seconds
        self.note = note


def first_error(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    errors = [l for l in lines if "error:" in l]
    return (errors or lines or ["(no diagnostic)"])[0]


def dtype_name(arr):
    return "bool" if arr.dtype == np.bool_ else arr.dtype.name


def graph_io(model):
    """(inputs, outputs) of an onnx ModelProto: lists of (name, numpy dtype name,
    dims) where dims holds ints, dim_param strings, or None for unknown dims.
    Inputs that are initializers (IR < 4 models list them) are left out."""
    import onnx
    from onnx import mapping
    inits = {i.name for i in model.graph.initializer}

    def describe(vi):
        tt = vi.type.tensor_type
        dt = mapping.TENSOR_TYPE_TO_NP_TYPE.get(tt.elem_type)
        dt = "bool" if dt == np.bool_ else (np.dtype(dt).name if dt is not None else
                                            onnx.TensorProto.DataType.Name(tt.elem_type))
        dims = []
        for d in tt.shape.dim:
            if d.HasField("dim_value"):
                dims.append(d.dim_value)
            elif d.HasField("dim_param"):
                dims.append(d.dim_param)
            else:
                dims.append(None)
        return (vi.name, dt, dims)

    ins = [describe(i) for i in model.graph.input if i.name not in inits]
    outs = [describe(o) for o in model.graph.output]
    return ins, outs


def read_pb(path):
    import onnx
    from onnx import numpy_helper
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def read_test_data(data_dir):
    """input_*.pb and output_*.pb of one test_data_set directory, in index order."""
    def numbered(prefix):
        files = [f for f in os.listdir(data_dir)
                 if f.startswith(prefix) and f.endswith(".pb")]
        files.sort(key=lambda f: int(f[len(prefix):-3]))
        return [read_pb(os.path.join(data_dir, f)) for f in files]
    return numbered("input_"), numbered("output_")


def bind_constant_inputs(model_path, out_path, values):
    """Writes a copy of the model in which the graph inputs named in `values`
    (name -> numpy array) are initializers holding those values."""
    import onnx
    from onnx import numpy_helper
    model = onnx.load(model_path)
    keep = [i for i in model.graph.input if i.name not in values]
    del model.graph.input[:]
    model.graph.input.extend(keep)
    for name, arr in values.items():
        model.graph.initializer.append(numpy_helper.from_array(arr, name))
    onnx.save(model, out_path)


def run_tinyplan(tinyplan, model, workdir, extra_args, timeout):
    """Runs the emitter. Returns (status, message): status 'ok', 'unsupported',
    'runtime-const' (message = the value name) or 'error'."""
    out_c = os.path.join(workdir, "model.c")
    cmd = [tinyplan, model, "-o", out_c, "--name", "m"] + list(extra_args)
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout, text=True,
                           errors="replace")
    except subprocess.TimeoutExpired:
        return "error", "tinyplan timed out after %gs" % timeout
    err = p.stderr + p.stdout
    if p.returncode == 1:
        m = RUNTIME_CONST_RE.search(err)
        if m:
            return "runtime-const", m.group(1)
        if UNSUPPORTED_RE.search(first_error(err)):
            return "unsupported", first_error(err)
    if p.returncode != 0:
        return "error", "tinyplan exit %d: %s" % (p.returncode, first_error(err))
    for f in ("model.c", "model.h"):
        if not os.path.isfile(os.path.join(workdir, f)):
            return "error", "tinyplan exit 0 but wrote no %s" % f
    return "ok", ""


def _hex_words(arr, per_line=8):
    """C initializer text for the bit patterns of arr (flattened)."""
    flat = np.ascontiguousarray(arr).reshape(-1)
    size = flat.dtype.itemsize
    bits = flat.view(UINT_OF_SIZE[size])
    suffix = {1: "u", 2: "u", 4: "u", 8: "ull"}[size]
    width = 2 * size
    if bits.size == 0:
        return "0"
    words = ["0x%0*x%s" % (width, int(b), suffix) for b in bits]
    return ",\n".join(", ".join(words[i:i + per_line]) for i in range(0, len(words), per_line))


def write_main_c(path, inputs, outputs, name="m"):
    """main.c for one test. inputs: numpy arrays in m_run order. outputs: list of
    (numpy dtype name, shape) in m_run order.

    Built with -DHARNESS_SMALL_RAM (the Cortex-M0's 16 KiB), it keeps only the
    outputs in RAM: m_run reads the inputs straight from their const bit
    patterns (flash), and the outputs of the second and later calls are checked
    against a checksum of the first call's instead of a copy."""
    P = name.upper()
    L = []
    w = L.append
    w("/* Generated by tinyplan's verification harness. */")
    w("#include <stdint.h>")
    w("#include <stdio.h>")
    w("#include <string.h>")
    w('#include "model.h"')
    w("")
    w("static int failures;")
    w("static void fail(const char *what) {")
    w('  printf("error %s\\n", what);')
    w("  failures++;")
    w("}")
    w("")
    w("/* Hex digits by hand: newlib-nano's printf has no 8- or 64-bit lengths. */")
    w("static void print_hex(uint64_t bits, int digits, int last) {")
    w("  char text[18];")
    w("  int k;")
    w("  for (k = digits - 1; k >= 0; k--) {")
    w('    text[k] = "0123456789abcdef"[bits & 15u];')
    w("    bits >>= 4;")
    w("  }")
    w("  text[digits] = last ? '\\n' : ' ';")
    w("  text[digits + 1] = '\\0';")
    w("  fputs(text, stdout);")
    w("}")
    w("")
    w("#ifdef HARNESS_SMALL_RAM")
    w("/* FNV-1a over the bytes of an output. */")
    w("static uint32_t checksum(const void *data, size_t size) {")
    w("  const unsigned char *p = (const unsigned char *)data;")
    w("  uint32_t h = 2166136261u;")
    w("  size_t k;")
    w("  for (k = 0; k < size; k++)")
    w("    h = (h ^ p[k]) * 16777619u;")
    w("  return h;")
    w("}")
    w("#endif")
    w("")
    for i, arr in enumerate(inputs):
        tag, ctype, utype = DTYPES[dtype_name(arr)]
        n = max(arr.size, 1)
        w("#ifdef HARNESS_SMALL_RAM")
        w("/* The input's bits, read as its C type through the union. */")
        w("static const union { %s bits[%d]; %s v[%d]; } in%d_const = {{\n%s}};" % (
            utype, n, ctype, n, i, _hex_words(arr)))
        w("#define in%d in%d_const.v" % (i, i))
        w("#else")
        w("static const %s in%d_bits[%d] = {\n%s};" % (utype, i, n, _hex_words(arr)))
        w("static %s in%d[%d];" % (ctype, i, n))
        w("#endif")
    for i, (dt, shape) in enumerate(outputs):
        tag, ctype, utype = DTYPES[dt]
        n = max(int(np.prod(shape, dtype=np.int64)), 1)
        w("static %s out%d[%d + %d];" % (ctype, i, n, GUARD))
        w("#ifdef HARNESS_SMALL_RAM")
        w("static uint32_t sum%d;" % i)
        w("#define first%d out%d" % (i, i))
        w("#else")
        w("static %s first%d[%d];" % (ctype, i, n))
        w("#endif")
    w("")

    def check_macros(kind, i, dt, shape):
        # Runtime checks, so that macros written as expressions or casts still work.
        M = "%s_%s_%d" % (P, kind, i)
        size = int(np.prod(shape, dtype=np.int64))
        w("  if ((long long)(%s_SIZE) != %dLL) fail(\"%s_SIZE != %d\");" % (M, size, M, size))
        w("  if ((long long)(%s_RANK) != %dLL) fail(\"%s_RANK != %d\");" % (M, len(shape), M, len(shape)))
        if len(shape) > 0:
            w("  {")
            w("    static const long long shape[] = %s_SHAPE;" % M)
            w("    static const long long want[] = {%s};" % ", ".join("%dLL" % d for d in shape))
            w("    if (sizeof shape != sizeof want || memcmp(shape, want, sizeof want) != 0)")
            w("      fail(\"%s_SHAPE != {%s}\");" % (M, ",".join(str(d) for d in shape)))
            w("  }")
        tag = DTYPES[dt][0]
        w("  if (strcmp(%s_DTYPE, \"%s\") != 0) fail(\"%s_DTYPE != %s\");" % (M, tag, M, tag))

    call_args = ["in%d" % i for i in range(len(inputs))] + \
                ["out%d" % i for i in range(len(outputs))]
    call = "%s_run(%s)" % (name, ", ".join(call_args))
    w("#ifndef HARNESS_EXTRA_RUNS")
    w("#define HARNESS_EXTRA_RUNS 0")
    w("#endif")
    w("#ifdef HARNESS_BEFORE_RUNS")
    w("void HARNESS_BEFORE_RUNS(void);")
    w("#endif")
    w("#ifdef HARNESS_AFTER_RUNS")
    w("void HARNESS_AFTER_RUNS(void);")
    w("#endif")
    w("static volatile int extra_runs = HARNESS_EXTRA_RUNS;")
    w("")
    w("int main(void) {")
    w("  int rc;")
    w("  int extra;")
    w("  if ((long long)(%s_NUM_INPUTS) != %dLL) fail(\"%s_NUM_INPUTS != %d\");" % (P, len(inputs), P, len(inputs)))
    w("  if ((long long)(%s_NUM_OUTPUTS) != %dLL) fail(\"%s_NUM_OUTPUTS != %d\");" % (P, len(outputs), P, len(outputs)))
    w("  if ((long long)(%s_ARENA_SIZE) < 0LL) fail(\"%s_ARENA_SIZE < 0\");" % (P, P))
    for i, arr in enumerate(inputs):
        check_macros("INPUT", i, dtype_name(arr), arr.shape)
    for i, (dt, shape) in enumerate(outputs):
        check_macros("OUTPUT", i, dt, shape)
    if inputs:
        w("#ifndef HARNESS_SMALL_RAM")
    for i, arr in enumerate(inputs):
        w("  memcpy(in%d, in%d_bits, sizeof in%d_bits);" % (i, i, i))
    if inputs:
        w("#endif")
    for i in range(len(outputs)):
        w("  memset(out%d, 0xA5, sizeof out%d);" % (i, i))
    w("#ifdef HARNESS_BEFORE_RUNS")
    w("  HARNESS_BEFORE_RUNS();")
    w("#endif")
    w("  rc = %s;" % call)
    w("  if (rc != 0) fail(\"%s_run returned non-zero\");" % name)
    for i, (dt, shape) in enumerate(outputs):
        n = max(int(np.prod(shape, dtype=np.int64)), 1)
        w("  {")
        w("    const unsigned char *g = (const unsigned char *)(out%d + %d);" % (i, n))
        w("    size_t k;")
        w("    for (k = 0; k < %d * sizeof out%d[0]; k++)" % (GUARD, i))
        w("      if (g[k] != 0xA5) { fail(\"wrote past the end of output %d\"); break; }" % i)
        w("  }")
        w("#ifdef HARNESS_SMALL_RAM")
        w("  sum%d = checksum(out%d, sizeof out%d - %d * sizeof out%d[0]);" % (i, i, i, GUARD, i))
        w("#else")
        w("  memcpy(first%d, out%d, sizeof first%d);" % (i, i, i))
        w("#endif")
        # Through a pointer: GCC's -Wmemset-elt-size takes a byte count that
        # happens to equal the array's length (int16 outputs) for a bug.
        w("  memset(&out%d[0], 0x5A, sizeof out%d - %d * sizeof out%d[0]);" % (i, i, GUARD, i))
    if inputs:
        w("#ifndef HARNESS_SMALL_RAM")
    for i in range(len(inputs)):
        w("  if (memcmp(in%d, in%d_bits, sizeof in%d_bits) != 0) fail(\"input %d was modified\");" % (i, i, i, i))
    if inputs:
        w("#endif")
    w("  /* A second call must give the same bits: no state carried between calls. */")
    w("  rc = %s;" % call)
    w("  if (rc != 0) fail(\"second %s_run returned non-zero\");" % name)
    for i, (dt, shape) in enumerate(outputs):
        n = int(np.prod(shape, dtype=np.int64))
        if n > 0:
            w("#ifdef HARNESS_SMALL_RAM")
            w("  if (checksum(out%d, sizeof out%d - %d * sizeof out%d[0]) != sum%d) fail(\"output %d differs between two calls\");" % (i, i, GUARD, i, i, i))
            w("#else")
            w("  if (memcmp(first%d, out%d, sizeof first%d) != 0) fail(\"output %d differs between two calls\");" % (i, i, i, i))
            w("#endif")
    w("  /* More calls when asked (-DHARNESS_EXTRA_RUNS=N). Builds with different")
    w("     nonzero N differ only in this volatile's initial value (zero would put")
    w("     it in .bss and move code), so their instruction counts differ by")
    w("     exactly the extra calls and their loop iterations. */")
    w("  for (extra = 0; extra < extra_runs; extra++)")
    w("    (void)%s;" % call)
    if outputs:
        w("#ifdef HARNESS_SMALL_RAM")
        w("  /* first<N> is out<N>, which the calls above wrote again. */")
    for i, (dt, shape) in enumerate(outputs):
        w("  if (checksum(out%d, sizeof out%d - %d * sizeof out%d[0]) != sum%d) fail(\"output %d differs after more calls\");" % (i, i, GUARD, i, i, i))
    if outputs:
        w("#endif")
    w("#ifdef HARNESS_AFTER_RUNS")
    w("  HARNESS_AFTER_RUNS();")
    w("#endif")
    for i, (dt, shape) in enumerate(outputs):
        tag, ctype, utype = DTYPES[dt]
        n = int(np.prod(shape, dtype=np.int64))
        size = np.dtype(np.float16 if dt == "float16" else dt).itemsize if dt != "bool" else 1
        w("  printf(\"output %d %d\\n\");" % (i, n))
        w("  {")
        w("    long k;")
        w("    for (k = 0; k < %dL; k++) {" % n)
        w("      %s u;" % utype)
        w("      memcpy(&u, &first%d[k], sizeof u);" % i)
        w("      print_hex(u, %d, k %% 16 == 15 || k == %dL - 1);" % (2 * size, n))
        w("    }")
        w("  }")
    w("  printf(\"done %d\\n\", failures);")
    w("  return failures != 0;")
    w("}")
    with open(path, "w") as f:
        f.write("\n".join(L) + "\n")


def parse_outputs(stdout, outputs):
    """Outputs printed by main.c as numpy arrays of the expected dtypes and shapes,
    and the list of 'error ...' lines it printed."""
    errors = []
    arrays = {}
    current = None
    words = []
    for line in stdout.splitlines():
        if line.startswith("error "):
            errors.append(line[6:])
        elif line.startswith("output "):
            if current is not None:
                arrays[current] = words
            current = int(line.split()[1])
            words = []
        elif line.startswith("done "):
            if current is not None:
                arrays[current] = words
            current = None
        elif current is not None:
            words.extend(line.split())
    result = []
    for i, (dt, shape) in enumerate(outputs):
        npdt = np.dtype(np.bool_ if dt == "bool" else dt)
        words = arrays.get(i)
        n = int(np.prod(shape, dtype=np.int64))
        if words is None or len(words) != n:
            result.append(None)
            continue
        bits = np.array([int(x, 16) for x in words], dtype=UINT_OF_SIZE[npdt.itemsize])
        result.append(bits.view(npdt).reshape(shape))
    return result, errors


def compare(actual, ref, rtol, atol):
    """(ok, max_abs, max_rel, message) comparing one output with its reference."""
    if actual is None:
        return False, float("inf"), float("inf"), "missing or wrong-size output"
    if actual.shape != ref.shape:
        return False, float("inf"), float("inf"), "shape %s != %s" % (actual.shape, ref.shape)
    if actual.size == 0:
        return True, 0.0, 0.0, ""
    if ref.dtype.kind == "f":
        a = actual.astype(np.float64)
        r = ref.astype(np.float64)
        nan_a, nan_r = np.isnan(a), np.isnan(r)
        bad = nan_a != nan_r
        inf = np.isinf(r) | np.isinf(a)
        bad |= inf & (a != r) & ~(nan_a | nan_r)
        fin = ~(nan_a | nan_r | inf)
        diff = np.where(fin, np.abs(a - r), 0.0)
        bad |= fin & (diff > atol + rtol * np.abs(r))
        max_abs = float(diff.max())
        rel = np.where(fin & (r != 0), diff / np.where(r != 0, np.abs(r), 1.0), 0.0)
        max_rel = float(rel.max())
        if bad.any():
            k = int(np.flatnonzero(bad.reshape(-1))[0])
            return (False, max_abs, max_rel,
                    "%d of %d elements differ; first at [%d]: got %r, want %r" % (
                        int(bad.sum()), bad.size, k, a.reshape(-1)[k], r.reshape(-1)[k]))
        return True, max_abs, max_rel, ""
    a = actual.astype(np.int64) if actual.dtype != np.uint64 else actual
    r = ref.astype(np.int64) if ref.dtype != np.uint64 else ref
    if actual.dtype != ref.dtype:
        return False, 0.0, 0.0, "dtype %s != %s" % (actual.dtype, ref.dtype)
    bad = a != r
    diff = np.abs(a.astype(np.float64) - r.astype(np.float64))
    if bad.any():
        k = int(np.flatnonzero(bad.reshape(-1))[0])
        return (False, float(diff.max()), 0.0,
                "%d of %d elements differ; first at [%d]: got %d, want %d" % (
                    int(bad.sum()), bad.size, k, int(a.reshape(-1)[k]), int(r.reshape(-1)[k])))
    return True, 0.0, 0.0, ""


# Language and warning flags for every build of the generated C (host and target).
WARNING_FLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic"]


def cc_flags(asan):
    flags = WARNING_FLAGS[:1] + ["-O1", "-ffp-contract=off"] + WARNING_FLAGS[1:]
    if asan:
        flags += ["-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
    return flags


# The checked builds build_and_run makes: "asan" (AddressSanitizer and
# UndefinedBehaviorSanitizer) and "writers" (the writers check: tinyplan
# --check-writers, model.c instrumented by clang -fsanitize=thread and linked
# with WRITERS_RUNTIME; docs/planning.md, "The writers check").
CHECKS = ("asan", "writers")
WRITERS_RUNTIME = os.path.join(os.path.dirname(os.path.abspath(__file__)), "writers_check.c")
# The instrumentation of the writers build: every load and store, a load
# followed by a store to the same place included (ThreadSanitizer leaves
# those loads out by default, and an in-place kernel reads just so).
WRITERS_CFLAGS = ["-fsanitize=thread", "-mllvm", "-tsan-instrument-read-before-write=1"]


def add_check_arguments(ap):
    ap.add_argument("--asan", dest="check", action="store_const", const="asan",
                    help="build the generated C with AddressSanitizer and "
                    "UndefinedBehaviorSanitizer")
    ap.add_argument("--writers", dest="check", action="store_const", const="writers",
                    help="build the generated C with the writers check (tinyplan "
                    "--check-writers, clang -fsanitize=thread and scripts/writers_check.c): "
                    "every read of an arena byte must find the value the plan put there")


def check_tinyplan_args(check):
    """The tinyplan arguments a checked build needs."""
    return ["--check-writers"] if check == "writers" else []


def _run_cc(cmd, workdir, timeout):
    """Runs a compiler command; '' or what went wrong."""
    try:
        p = subprocess.run(cmd, cwd=workdir, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, text=True, errors="replace")
    except subprocess.TimeoutExpired:
        return "cc timed out after %gs" % timeout
    if p.returncode != 0:
        return "cc failed: %s" % first_error(p.stdout)
    return ""


def _build_commands(cc, check, sources, exe):
    """The compiler commands that build exe from sources (main.c, model.c,
    maybe blob.S) for the check (None, "asan" or "writers")."""
    if check != "writers":
        return [shlex.split(cc) + cc_flags(check == "asan") + sources + ["-lm", "-o", exe]]
    # Only the model is instrumented; the runtime must not be (its own
    # loads and stores would call it back), nor may its byte loops turn
    # into the memcpy calls it defines.
    flags = cc_flags(False)
    return [["clang"] + flags + ["-g"] + WRITERS_CFLAGS + ["-c", "model.c", "-o", "model.o"],
            ["clang"] + flags + ["-fno-builtin", "-c", WRITERS_RUNTIME, "-o", "writers.o"],
            ["clang"] + flags + [s if s != "model.c" else "model.o" for s in sources]
            + ["writers.o", "-lm", "-o", exe]]


def compile_only(workdir, cc, timeout):
    """Compiles model.c alone with another compiler command (e.g. clang, or
    arm-none-eabi-gcc with its target flags) and the same warning flags.
    Returns an error message, or '' when it built cleanly."""
    cmd = shlex.split(cc) + cc_flags(False) + ["-c", "model.c", "-o", "model.other.o"]
    try:
        p = subprocess.run(cmd, cwd=workdir, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, text=True, errors="replace")
    except subprocess.TimeoutExpired:
        return "%s timed out after %gs" % (cmd[0], timeout)
    if p.returncode != 0:
        return "%s failed: %s" % (cmd[0], first_error(p.stdout))
    return ""


class RunResult:
    """What build_and_run found: ok, message, max_abs / max_rel against the
    reference, and with an MCU run, its figures (see verify_on_mcu)."""

    def __init__(self, ok, message="", max_abs=0.0, max_rel=0.0, mcu=None):
        self.ok = ok
        self.message = message
        self.max_abs = max_abs
        self.max_rel = max_rel
        self.mcu = mcu
        self.outputs = None     # the host run's output arrays, when it ran


def check_run(stdout, returncode, outputs, ref_outputs, rtol, atol, what):
    """Parses a harness run and compares it with the references. Returns
    (RunResult, the parsed output arrays)."""
    actual, errors = parse_outputs(stdout, outputs)
    if errors:
        return RunResult(False, "; ".join(errors)), actual
    if returncode != 0 or "done 0" not in stdout:
        return RunResult(False, "%s exit %d" % (what, returncode)), actual
    max_abs = max_rel = 0.0
    for i, (a, r) in enumerate(zip(actual, ref_outputs)):
        ok, ma, mr, msg = compare(a, r, rtol, atol)
        max_abs, max_rel = max(max_abs, ma), max(max_rel, mr)
        if not ok:
            return RunResult(False, "output %d: %s" % (i, msg), max_abs, max_rel), actual
    return RunResult(True, "", max_abs, max_rel), actual


# The weights blob of a model generated with --weights-blob (and --name m),
# and the assembly that links it as m_weights.
BLOB_FILE = "m_weights.bin"
BLOB_ASM = """  .section .rodata
  .balign 16
  .global m_weights
m_weights:
  .incbin "%s"
  .section .note.GNU-stack,"",%%progbits
""" % BLOB_FILE


def build_and_run(workdir, inputs, ref_outputs, cc, check, timeout, rtol, atol, also_cc=(),
                  mcu=None):
    """Builds model.c with each of also_cc, writes main.c, builds it with model.c
    using cc (check: None, or one of CHECKS), runs it and compares. With mcu (an McuOptions), the same main.c
    then runs on the emulated Cortex-M4F as well (verify_on_mcu). Returns a
    RunResult."""
    for other in also_cc:
        msg = compile_only(workdir, other, timeout)
        if msg:
            return RunResult(False, msg)
    outputs = [(dtype_name(r), r.shape) for r in ref_outputs]
    write_main_c(os.path.join(workdir, "main.c"), inputs, outputs)
    exe = os.path.join(workdir, "prog")
    sources = ["main.c", "model.c"]
    if os.path.isfile(os.path.join(workdir, BLOB_FILE)):
        with open(os.path.join(workdir, "blob.S"), "w") as f:
            f.write(BLOB_ASM)
        sources.append("blob.S")
    deadline = time.monotonic() + timeout
    for cmd in _build_commands(cc, check, sources, exe):
        msg = _run_cc(cmd, workdir, max(1.0, deadline - time.monotonic()))
        if msg:
            return RunResult(False, msg)
    env = dict(os.environ)
    if check == "asan":
        env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
    try:
        p = subprocess.run([exe], cwd=workdir, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                           timeout=max(1.0, deadline - time.monotonic()), text=True,
                           errors="replace")
    except subprocess.TimeoutExpired:
        return RunResult(False, "run timed out (%gs per test)" % timeout)
    result, host = check_run(p.stdout, p.returncode, outputs, ref_outputs, rtol, atol,
                             "program")
    if not result.ok and result.message.startswith("program exit"):
        result.message += ": " + first_error(p.stderr)
    if result.ok and mcu is not None:
        result = verify_on_mcu(workdir, outputs, host, ref_outputs, rtol, atol, timeout, mcu)
    result.outputs = host
    return result


def bits_differ(actual, expected):
    """'' when every output array has the same bits as its expected one, else
    what differs first."""
    for i, (a, e) in enumerate(zip(actual, expected)):
        if a is None or a.shape != e.shape or a.dtype != e.dtype:
            return "output %d: missing or of another shape or type" % i
        d = np.flatnonzero(_bits(a) != _bits(e))
        if d.size:
            k = int(d[0])
            return "output %d: %d of %d elements differ; first at [%d]: %r, want %r" % (
                i, d.size, a.size, k, a.reshape(-1)[k], e.reshape(-1)[k])
    return ""


class McuOptions:
    """Options of the emulated microcontroller run: plugin is the path of
    insncount.so to count instructions per inference, or None; core the
    firmware.Core to run on (None: the Cortex-M4F)."""

    def __init__(self, plugin=None, core=None):
        self.plugin = plugin
        self.core = core

    @property
    def tinyplan_args(self):
        """tinyplan's --cpu for the core (none for the Cortex-M4F)."""
        return self.core.tinyplan_args if self.core else []


def add_mcu_arguments(ap):
    ap.add_argument("--mcu", action="store_true",
                    help="also run every test on an emulated Cortex-M core (qemu-system-arm, "
                    "see --mcu-cpu): bit-identical with the host build, arena size, "
                    "flash, RAM and stack figures")
    ap.add_argument("--mcu-cpu", choices=["m4f", "m3", "m0"], default="m4f",
                    help="with --mcu, the core: m4f, a Cortex-M4F with its FPU (-M "
                    "mps2-an386, the default); m3, a Cortex-M3, soft float (-M mps2-an385); "
                    "m0, a Cortex-M0, soft float, 256 KiB flash and 16 KiB RAM (-M "
                    "microbit). Models are compiled with tinyplan --cpu=cortex-m3 or "
                    "--cpu=cortex-m0 for the last two")
    ap.add_argument("--insns", action="store_true",
                    help="with --mcu, count instructions per inference (TCG plugin "
                    "scripts/mcu/insncount.c, built with the host C compiler)")


def mcu_options(args, work_dir):
    """McuOptions from --mcu / --mcu-cpu / --insns (None without --mcu); builds
    the plugin into work_dir when instructions are counted."""
    if not args.mcu:
        return None
    from mcu import firmware
    return McuOptions(firmware.build_plugin(work_dir) if args.insns else None,
                      firmware.CORES[args.mcu_cpu])


def ulp_distance(a, b):
    """Largest distance in units in the last place between two float arrays
    of the same dtype (0 for integers)."""
    if a.dtype.kind != "f" or a.size == 0:
        return 0
    bits = UINT_OF_SIZE[a.dtype.itemsize]
    signed = {np.uint16: np.int64, np.uint32: np.int64, np.uint64: object}[bits]

    def ordered(x):
        # Sign-magnitude bit patterns to a line on which neighbours differ by 1.
        u = np.ascontiguousarray(x).reshape(-1).view(bits).astype(signed)
        top = 1 << (8 * a.dtype.itemsize - 1)
        return np.where(u >= top, top - u, u)

    return int(np.max(np.abs(ordered(a) - ordered(b))))


def format_mcu(figures):
    """One line of the figures verify_on_mcu measured."""
    static = figures["static_stack"]
    text = "%s: %s; flash %d, RAM %d (arena %d), stack %s static%s / %d measured" % (
        figures.get("core", "M4"),
        "bit-identical with the host" if figures["host_diff"] is None else
        "not bit-identical with the host: " + figures["host_diff"],
        figures["flash"], figures["ram"], figures["arena"],
        "?" if static is None else str(static),
        " (%s)" % "; ".join(figures["stack_notes"]) if figures["stack_notes"] else "",
        figures["measured_stack"])
    if "insns" in figures:
        text += ", %d instructions per inference" % figures["insns"]
    if "unfused" in figures:
        text += "; model.o calls newlib's %s (rounded twice, not fused)" % (
            " and ".join(figures["unfused"]))
    if "firmware" in figures:
        fw = figures["firmware"]
        text += "; firmware flash %d of %d, RAM %d of %d (.data %d, .bss %d, heap %d; " \
            "the stack gets the other %d)" % (
                fw["flash"], fw["board_flash"], fw["static_ram"], fw["board_ram"], fw["data"],
                fw["bss"], fw["heap"], fw["board_ram"] - fw["static_ram"])
    return text


def _bits(arr):
    flat = np.ascontiguousarray(arr).reshape(-1)
    return flat.view(UINT_OF_SIZE[flat.dtype.itemsize])


def arena_size(workdir, name="m"):
    with open(os.path.join(workdir, "model.h")) as f:
        m = re.search(r"^#define %s_ARENA_SIZE (\d+)" % name.upper(), f.read(), re.MULTILINE)
    if not m:
        raise RuntimeError("model.h defines no %s_ARENA_SIZE" % name.upper())
    return int(m.group(1))


def verify_on_mcu(workdir, outputs, host, ref_outputs, rtol, atol, timeout, options):
    """Runs main.c + model.c on the emulated core of options (scripts/mcu; qemu's
    mps2-an386 by default): the outputs must be bit-identical with the host run's
    (host) and within tolerance of the references, the firmware must exit 0, and
    model.o's .bss must be one arena object of exactly M_ARENA_SIZE bytes.
    RunResult.mcu gets core (the line's label), flash, ram, arena, static_stack
    (+ stack_notes), measured_stack, with a plugin insns (per inference), and on
    a core with little RAM (the M0), firmware: the whole firmware's sizes."""
    from mcu import firmware
    core = options.core or firmware.DEFAULT_CORE
    try:
        # One extra call in the checked firmware, two in the counting one: both
        # keep the count in .data, so their code is the same (a zero count would
        # go to .bss and move code), and they differ by exactly one iteration of
        # the calling loop, about 7 instructions besides m_run.
        elfs = firmware.build(workdir, WARNING_FLAGS, timeout,
                              extra_runs=(1, 2) if options.plugin else (1,), core=core)
        checked = firmware.run(elfs[1], timeout, options.plugin, core=core)
        result, target = check_run(checked.stdout, checked.returncode, outputs, ref_outputs,
                                   rtol, atol, "qemu: firmware")
        if not result.ok:
            text = checked.stdout + checked.stderr
            if result.message.startswith("qemu: firmware exit") and text.strip():
                result.message += ": " + first_error(text)
            return result
        model_o = os.path.join(workdir, "model.o")
        figures = {"core": core.label, "arena": arena_size(workdir), "host_diff": None}
        inexact = firmware.inexact_library_calls(model_o)
        foreign = [n for n in inexact if n not in firmware.F64_LIBM_CALLS and
                   n not in firmware.UNFUSED_CALLS]
        unfused = [n for n in inexact if n in firmware.UNFUSED_CALLS]
        if foreign:
            return RunResult(False, "qemu: model.o calls %s, whose rounding differs between "
                             "C libraries (only f64 kernels may call libm's %s)" % (
                                 ", ".join(foreign), ", ".join(sorted(firmware.F64_LIBM_CALLS))),
                             result.max_abs, result.max_rel)
        differ = [(i, np.flatnonzero(_bits(a) != _bits(h)))
                  for i, (a, h) in enumerate(zip(target, host))]
        differ = [(i, d) for i, d in differ if d.size]
        if differ:
            i, d = differ[0]
            k = int(d[0])
            message = "output %d: %d of %d elements differ; first at [%d]: %r on the %s, " \
                "%r on the host" % (i, d.size, target[i].size, k, target[i].reshape(-1)[k],
                                    core.label, host[i].reshape(-1)[k])
            if not any(n in firmware.F64_LIBM_CALLS for n in inexact):
                if unfused:
                    message += "; model.o calls newlib's %s, which rounds twice" % (
                        " and ".join(unfused))
                return RunResult(False, "qemu: not bit-identical with the host build: " +
                                 message, result.max_abs, result.max_rel)
            # newlib's and glibc's exp, tanh, log round differently: only f64
            # code calling them may differ, and then by a few ulp.
            figures["host_diff"] = "%s, at most %d ulp apart; model.c calls %s (libm)" % (
                message, max(ulp_distance(target[i], host[i]) for i, _ in differ),
                ", ".join(inexact))
        elif unfused:
            figures["unfused"] = unfused
        bss = firmware.arena_bytes(model_o, figures["arena"])
        figures["flash"], figures["ram"] = firmware.sizes(model_o)
        if figures["ram"] != bss:
            return RunResult(False, "qemu: model.o has %d bytes of writable data besides "
                             "the %d-byte arena" % (figures["ram"] - bss, figures["arena"]))
        figures["static_stack"], figures["stack_notes"] = firmware.static_stack(workdir)
        figures["measured_stack"] = firmware.measured_stack(checked.stdout)
        if core.small_ram:
            fw = firmware.firmware_sizes(elfs[1])
            fw["static_ram"] = fw["data"] + fw["bss"] + fw["heap"]
            fw["board_flash"], fw["board_ram"] = core.flash, core.ram
            figures["firmware"] = fw
        if options.plugin:
            counted = firmware.run(elfs[2], timeout, options.plugin, core=core)
            if counted.returncode != 0 or checked.insns is None or counted.insns is None:
                return RunResult(False, "qemu: counting run failed (exit %d)" %
                                 counted.returncode)
            figures["insns"] = counted.insns - checked.insns
    except firmware.McuError as e:
        return RunResult(False, "qemu: %s" % e)
    result.mcu = figures
    return result


def ort_outputs(model, names, inputs, workdir, node="node", timeout=60.0):
    """ONNX Runtime's outputs (numpy arrays, graph order) for one model run on
    \`inputs\` (numpy arrays named by \`names\`), through scripts/ort/run_ort.js."""
    import json
    root = os.path.dirname(os.path.abspath(__file__))
    jobs = []
    files = []
    for i, (name, arr) in enumerate(zip(names, inputs)):
        f = os.path.join(workdir, "ort_input_%d.bin" % i)
        np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tofile(f)
        files.append({"name": name, "dtype": dtype_name(arr), "dims": list(arr.shape),
                      "file": f})
    from ort_batch import wants_exact_sums
    jobs.append({"model": os.path.abspath(model), "inputs": files, "out_dir": workdir,
                 "exact_sums": wants_exact_sums(model)})
    with open(os.path.join(workdir, "ort_jobs.json"), "w") as f:
        json.dump(jobs, f)
    subprocess.run([node, os.path.join(root, "ort", "run_ort.js"),
                    os.path.join(workdir, "ort_jobs.json")], stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout)
    with open(os.path.join(workdir, "ort.json")) as f:
        result = json.load(f)
    if not result["ok"]:
        raise RuntimeError("ONNX Runtime: " + result["error"])
    outputs = []
    for i, o in enumerate(result["outputs"]):
        dt = np.dtype(np.bool_ if o["dtype"] == "bool" else o["dtype"]).newbyteorder("<")
        arr = np.fromfile(os.path.join(workdir, "output_%d.bin" % i), dtype=dt)
        outputs.append(arr.astype(dt.newbyteorder("=")).reshape(o["dims"]))
    return outputs


def expose_integer_outputs(model, extra=()):
    """Quantized models' integer results, for comparing them bit for bit:
    a copy whose outputs also include every non-initializer input of a
    DequantizeLinear (the last integer tensor before it), then the tensors of extra."""
    import onnx
    import onnx.shape_inference
    m = onnx.ModelProto()
    m.CopyFrom(model)
    inits = {i.name for i in m.graph.initializer}
    have = {o.name for o in m.graph.output}
    names = [n.input[0] for n in m.graph.node if n.op_type == "DequantizeLinear"] + list(extra)
    for name in names:
        if name not in inits and name not in have:
            m.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.UNDEFINED, None))
            have.add(name)
    # Integer outputs need their element type: from onnx shape inference, else (the
    # com.microsoft QLinear* ops, unknown to onnx) the type of the producer's input 0.
    inferred = onnx.shape_inference.infer_shapes(model)
    types = {vi.name: vi.type.tensor_type.elem_type for vi in
             list(inferred.graph.value_info) + list(inferred.graph.input)}
    types.update({i.name: i.data_type for i in m.graph.initializer})
    for n in m.graph.node:
        for o in n.output:
            ints = [types[x] for x in n.input if types.get(x) in (onnx.TensorProto.UINT8, onnx.TensorProto.INT8)]
            if not types.get(o) and ints:
                types[o] = ints[0]
    for o in m.graph.output:
        if o.type.tensor_type.elem_type == onnx.TensorProto.UNDEFINED:
            o.type.tensor_type.elem_type = types[o.name]
    return m


def quantized_io_reference(model):
    """What `tinyplan --quantized-io` computes, as a model ONNX Runtime runs: a copy
    without the QuantizeLinear nodes that alone read a float input (one per-tensor
    float scale and zero point for all of them; the input takes their integer type)
    and without the per-tensor DequantizeLinear that makes a float output nothing
    else reads from a node's 8- or 16-bit tensor that is not an output itself (the
    tensor takes the output's name). Written apart from lib/Transforms/QuantizedIO.cpp,
    to check it. Returns (copy, names of the tensors that went away or were renamed:
    keep them out of the exposed outputs), or (None, ...) when nothing changes."""
    import onnx
    import onnx.shape_inference
    from onnx import numpy_helper
    m = onnx.ModelProto()
    m.CopyFrom(model)
    g = m.graph
    consts = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    for n in g.node:
        if n.op_type == "Constant" and n.attribute and n.attribute[0].name == "value":
            consts[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
    quantized = {onnx.TensorProto.INT8, onnx.TensorProto.UINT8, onnx.TensorProto.INT16,
                 onnx.TensorProto.UINT16}

    def params(n):
        scale = consts.get(n.input[1]) if len(n.input) > 1 else None
        if scale is None or scale.size != 1 or scale.ndim > 1 or scale.dtype != np.float32:
            return None
        if len(n.input) > 2 and n.input[2]:
            zp = consts.get(n.input[2])
            if zp is None or zp.size != 1 or zp.ndim > 1:
                return None
            return (scale.reshape(-1)[0].tobytes(), int(zp.reshape(-1)[0]), zp.dtype)
        return (scale.reshape(-1)[0].tobytes(), 0, np.dtype(np.uint8))

    def readers(name):
        return [(n, i) for n in g.node for i, x in enumerate(n.input) if x == name]

    outputs = {o.name for o in g.output}
    gone, drop = set(), []
    for vi in g.input:
        if vi.name in consts or vi.type.tensor_type.elem_type != onnx.TensorProto.FLOAT or \
                vi.name in outputs:
            continue
        rs = readers(vi.name)
        if not rs or any(i != 0 or n.op_type != "QuantizeLinear" or n.domain not in ("", "ai.onnx")
                         for n, i in rs):
            continue
        ps = {params(n) for n, _ in rs}
        if len(ps) != 1 or None in ps:
            continue
        zp_type = next(iter(ps))[2]
        vi.type.tensor_type.elem_type = onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[zp_type]
        for n, _ in rs:
            gone.add(n.output[0])
            for r, i in readers(n.output[0]):
                r.input[i] = vi.name
            drop.append(n)
    inferred = onnx.shape_inference.infer_shapes(m)
    types = {v.name: v.type.tensor_type.elem_type for v in inferred.graph.value_info}
    producers = {o: n for n in g.node for o in n.output}
    for vi in g.output:
        dq = producers.get(vi.name)
        if dq is None or dq.op_type != "DequantizeLinear" or dq.domain not in ("", "ai.onnx") \
                or readers(vi.name) or vi.type.tensor_type.elem_type != onnx.TensorProto.FLOAT:
            continue
        x = dq.input[0]
        p = params(dq)
        elem = types.get(x) or (onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[p[2]]
                                if p and len(dq.input) > 2 and dq.input[2] else None)
        if p is None or x not in producers or x in outputs or elem not in quantized:
            continue
        name = vi.name
        gone.add(x)
        producer = producers[x]
        producer.output[list(producer.output).index(x)] = name
        for r, i in readers(x):
            r.input[i] = name
        vi.type.tensor_type.elem_type = elem
        outputs.add(name)
        drop.append(dq)
    if not drop:
        return None, gone
    for n in drop:
        g.node.remove(n)
    return m, gone


def copy_prebuilt(src_dir, workdir):
    for f in ("model.c", "model.h"):
        shutil.copy(os.path.join(src_dir, f), os.path.join(workdir, f))


def default_tinyplan(root):
    for build in (os.environ.get("TINYPLAN_BUILD_DIR"), os.path.join(root, "build")):
        if build:
            exe = os.path.join(build, "tools", "tinyplan", "tinyplan")
            if os.path.isfile(exe):
                return exe
    return shutil.which("tinyplan") or "tinyplan"
