# Writes OUTPUT: one `{"file.c", R"tpk(...)tpk"},` line per kernels/*.c file
# in KERNEL_DIR, sorted by name, for KernelLibrary.cpp to include. Run in
# script mode (cmake -DKERNEL_DIR=... -DOUTPUT=... -P EmbedKernels.cmake).
file(GLOB files RELATIVE "${KERNEL_DIR}" "${KERNEL_DIR}/*.c")
list(SORT files)
set(content "// Generated from kernels/*.c by EmbedKernels.cmake. Do not edit.\n")
foreach(name IN LISTS files)
  file(READ "${KERNEL_DIR}/${name}" text)
  string(FIND "${text}" ")tpk\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "kernels/${name} contains the raw-string delimiter )tpk\"")
  endif()
  string(APPEND content "{\"${name}\", R\"tpk(${text})tpk\"},\n")
endforeach()
# Only a changed table is written, so an unchanged one rebuilds nothing.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
