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
