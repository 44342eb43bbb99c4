# lit configuration for tinyplan's command-line tests.
import os
import lit.formats

config.name = "tinyplan"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".test", ".onnxtxt"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py.in"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tinyplan_obj_root, "test")

# Our tools first, then LLVM's FileCheck / not / count / split-file.
config.environment["PATH"] = os.pathsep.join(
    [config.tinyplan_tools_dir, config.tinyplan_pack_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
config.substitutions.append(("%shared_models", config.shared_models))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%src_root", config.tinyplan_src_root))
if config.have_shared_models:
    config.available_features.add("shared-models")

# The verification harness (test/Harness): features so its tests are
# UNSUPPORTED, not failing, while the C emitter, a C compiler, Debian's
# python3-onnx or ONNX Runtime (scripts/install-test-deps.sh) is missing.
import shutil
import subprocess

def _tinyplan_help():
    exe = os.path.join(config.tinyplan_tools_dir, "tinyplan")
    try:
        return subprocess.run([exe, "--help"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ""

if "--name" in _tinyplan_help():
    config.available_features.add("c-emitter")
# The real models through the generated C take a few minutes (the ImageNet-size
# onnx-light models dominate): TINYPLAN_SKIP_REAL_MODELS=1 leaves them out of
# a quick local run.
if os.environ.get("TINYPLAN_SKIP_REAL_MODELS") != "1":
    config.available_features.add("real-models")
for _compiler in ("cc", "clang", "arm-none-eabi-gcc"):
    if shutil.which(_compiler):
        config.available_features.add(_compiler)
# The generated C on an emulated Cortex-M4F (scripts/mcu/): the cross
# compiler with newlib, and QEMU's Arm system emulator.
if shutil.which("qemu-system-arm") and shutil.which("arm-none-eabi-gcc"):
    config.available_features.add("qemu-arm")
config.substitutions.append(
    ("%mcu", "%s %s" % (config.python_executable,
                        os.path.join(config.tinyplan_src_root, "scripts", "mcu", "firmware.py"))))
# The examples (test/Examples): built with CMake and Ninja against an
# installed tinyplan, the firmware run on qemu-system-arm.
for _tool in ("cmake", "ninja", "qemu-system-arm"):
    if shutil.which(_tool):
        config.available_features.add(_tool)
config.substitutions.append(("%build_root", config.tinyplan_obj_root))
# The harness runs under Debian's python3 (python3-onnx 1.12, python3-numpy),
# which need not be the python3 lit itself runs under; the report's JSON
# schema check (test/Report) needs its python3-jsonschema.
config.substitutions.append(("%onnx_python", "/usr/bin/python3"))
for _feature, _modules in (("python-onnx", "onnx, numpy"), ("python-jsonschema", "jsonschema")):
    try:
        if subprocess.run(["/usr/bin/python3", "-c", "import " + _modules],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          timeout=60).returncode == 0:
            config.available_features.add(_feature)
    except (OSError, subprocess.SubprocessError):
        pass
if shutil.which("node") and os.path.isfile(os.path.join(
        config.tinyplan_src_root, "scripts", "ort", "node_modules", "onnxruntime-node",
        "package.json")):
    config.available_features.add("onnxruntime")
