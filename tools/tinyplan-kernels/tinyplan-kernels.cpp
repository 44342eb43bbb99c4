//===- tinyplan-kernels.cpp - The kernel library, for tests and readers ---===//
//
// Writes the C that model.c would hold for the named kernels: their
// definitions and those of every kernel they use, dependencies first, each
// `static`, behind the includes model.c has. A kernel unit test includes that
// one file and calls the kernel (unittests/Kernels). `--list` prints the
// manifest; `--check` only parses it (the build runs it); `--kernel-dir`
// reads kernel files being edited, without rebuilding. Exit status: 0
// success, 1 an unknown kernel or an inconsistent kernel file, 2 usage
// error.
//
//===----------------------------------------------------------------------===//
#include "tinyplan/CodeGen/KernelLibrary.h"
#include "tinyplan/Support/FileOutput.h"

#include "absl/strings/str_join.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace tinyplan;
namespace cl = llvm::cl;

static cl::OptionCategory category("tinyplan-kernels options");
static cl::list<std::string> names(
    cl::Positional,
    cl::desc("<kernel>... (NAME, or NEW=PROTOTYPE:from=to,... for an instance)"),
    cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::desc("Output file (default standard output)"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(category));
static cl::opt<bool> list("list", cl::desc("Print every kernel: name, file, uses"),
                          cl::cat(category));
static cl::opt<std::string> kernelDir(
    "kernel-dir",
    cl::desc("Read the kernels from DIR/*.c instead of those tinyplan was built with"),
    cl::value_desc("DIR"), cl::cat(category));
static cl::opt<bool> check("check", cl::desc("Only check that the kernel manifest is consistent"),
                           cl::cat(category));

/// The kernel files DIR/*.c, parsed as the build would embed them.
static absl::StatusOr<KernelLibrary> readKernelDir(llvm::StringRef dir) {
  std::error_code error;
  std::vector<std::pair<std::string, std::string>> files;
  for (llvm::sys::fs::directory_iterator it(dir, error), end; it != end && !error;
       it.increment(error)) {
    llvm::StringRef path = it->path();
    if (!path.ends_with(".c"))
      continue;
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(path);
    if (!buffer)
      return absl::NotFoundError(absl::StrCat(path.str(), ": ", buffer.getError().message()));
    files.emplace_back(llvm::sys::path::filename(path).str(), (*buffer)->getBuffer().str());
  }
  if (error)
    return absl::NotFoundError(absl::StrCat(dir.str(), ": ", error.message()));
  // The build embeds them sorted by name.
  llvm::sort(files);
  return KernelLibrary::parse(files);
}

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(category);
  if (!cl::ParseCommandLineOptions(argc, argv,
                                   "tinyplan-kernels: the C kernels tinyplan copies into model.c\n",
                                   &llvm::errs()))
    return 2;
  KernelLibrary fromDisk;
  if (!kernelDir.empty()) {
    absl::StatusOr<KernelLibrary> parsed = readKernelDir(kernelDir);
    if (!parsed.ok()) {
      llvm::errs() << "tinyplan-kernels: error: " << std::string(parsed.status().message())
                   << "\n";
      return 1;
    }
    fromDisk = *std::move(parsed);
  }
  const KernelLibrary &library = kernelDir.empty() ? KernelLibrary::builtin() : fromDisk;
  if (check) {
    llvm::outs() << "kernels: " << library.all().size() << " kernels, consistent\n";
    return 0;
  }
  if (list) {
    for (const LibraryKernel *kernel : library.all())
      llvm::outs() << kernel->name << " " << kernel->file
                   << (kernel->uses.empty() ? "" : " uses ")
                   << absl::StrJoin(kernel->uses, " ") << "\n";
    return 0;
  }
  if (names.empty()) {
    llvm::errs() << "tinyplan-kernels: error: no kernel named (see --help)\n";
    return 2;
  }
  // Instances first become kernels of their own; their uses come from the
  // library.
  std::vector<LibraryKernel> instances;
  std::vector<std::string> wanted;
  for (llvm::StringRef request : names) {
    auto [name, spec] = request.split('=');
    if (spec.empty()) {
      if (!library.find(name)) {
        llvm::errs() << "tinyplan-kernels: error: no kernel '" << name << "'\n";
        return 1;
      }
      wanted.push_back(name.str());
      continue;
    }
    auto [prototype, mapText] = spec.split(':');
    std::optional<IdentifierMap> map = parseIdentifierMap(mapText, ',');
    if (!map) {
      llvm::errs() << "tinyplan-kernels: error: '" << request
                   << "': expected NEW=PROTOTYPE:from=to,...\n";
      return 2;
    }
    absl::StatusOr<LibraryKernel> instance = library.instantiate(prototype, name, *map);
    if (!instance.ok()) {
      llvm::errs() << "tinyplan-kernels: error: " << std::string(instance.status().message()) << "\n";
      return 1;
    }
    for (const std::string &use : instance->uses)
      wanted.push_back(use);
    instances.push_back(*std::move(instance));
  }
  std::string text = "/* Generated by tinyplan-kernels from kernels/. Do not edit. */\n"
                     "#include <math.h>\n#include <stdint.h>\n#include <string.h>\n\n";
  for (const LibraryKernel *kernel : library.closure(wanted))
    text += kernel->text() + "\n";
  for (const LibraryKernel &instance : instances)
    text += instance.text() + "\n";
  absl::Status status = writeFileAtomically(outputPath, text);
  if (!status.ok()) {
    llvm::errs() << "tinyplan-kernels: error: " << std::string(status.message()) << "\n";
    return 1;
  }
  return 0;
}
