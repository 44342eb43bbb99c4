//===- FileOutput.cpp - All-or-nothing file writing -----------------------===//
#include "tinyplan/Support/FileOutput.h"

#include "absl/strings/str_cat.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace tinyplan {

absl::Status writeFileAtomically(llvm::StringRef path, llvm::StringRef content) {
  if (path == "-") {
    llvm::outs() << content;
    llvm::outs().flush();
    return absl::OkStatus();
  }
  // A device, FIFO or other special file (e.g. /dev/null) is written in
  // place: renaming over it would replace the device with a regular file.
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(path, status) &&
      llvm::sys::fs::exists(status) && !llvm::sys::fs::is_regular_file(status) &&
      !llvm::sys::fs::is_directory(status)) {
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec);
    if (!ec) {
      out << content;
      out.close();
      if (!out.has_error())
        return absl::OkStatus();
      ec = out.error();
      out.clear_error();
    }
    return absl::PermissionDeniedError(
        absl::StrCat(path.str(), ": cannot write output: ", ec.message()));
  }
  // The temporary lives in the target's directory so the rename is atomic.
  llvm::SmallString<256> model(path);
  model += ".tmp-%%%%%%";
  int fd;
  llvm::SmallString<256> tempPath;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, tempPath))
    return absl::PermissionDeniedError(
        absl::StrCat(path.str(), ": cannot create output: ", ec.message()));
  {
    llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
    out << content;
    out.close();
    if (out.has_error()) {
      std::string message = out.error().message();
      out.clear_error();
      llvm::sys::fs::remove(tempPath);
      return absl::PermissionDeniedError(
          absl::StrCat(path.str(), ": cannot write output: ", message));
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(tempPath, path)) {
    llvm::sys::fs::remove(tempPath);
    return absl::PermissionDeniedError(
        absl::StrCat(path.str(), ": cannot write output: ", ec.message()));
  }
  return absl::OkStatus();
}

} // namespace tinyplan
