# tinyplan_add_model(<target> MODEL <file.onnx> [NAME <prefix>]
#                    [TARGET_MCU <mcu>] [OPTIONS <tinyplan options>...])
#
# Compiles MODEL with tinyplan at build time into <prefix>.c and <prefix>.h
# (in <build dir>/tinyplan/<prefix>/), adds them to <target> and puts their
# directory on its include path. They are made again when the model or the
# tinyplan executable changes. NAME is the prefix of every generated symbol
# (default: the model's file name as a C identifier). TARGET_MCU (a name
# from `tinyplan --list-targets`) checks RAM and flash against that
# microcontroller: a model that does not fit fails the build, with tinyplan
# saying by how much. OPTIONS go to tinyplan as they are (--dim, --align,
# --packer, --ram-budget, ...). Each model also gets its report,
# <prefix>.report.json (docs/report.md).
function(tinyplan_add_model target)
  cmake_parse_arguments(PARSE_ARGV 1 TP "" "MODEL;NAME;TARGET_MCU" "OPTIONS")
  if(TP_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tinyplan_add_model: unknown arguments: ${TP_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET "${target}")
    message(FATAL_ERROR "tinyplan_add_model: '${target}' is not a target")
  endif()
  if(NOT TP_MODEL)
    message(FATAL_ERROR "tinyplan_add_model(${target}): MODEL <file.onnx> is required")
  endif()
  get_filename_component(model "${TP_MODEL}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${model}")
    message(FATAL_ERROR "tinyplan_add_model(${target}): no such model: ${model}")
  endif()
  if(TP_NAME)
    string(MAKE_C_IDENTIFIER "${TP_NAME}" name)
    if(NOT name STREQUAL TP_NAME)
      message(FATAL_ERROR "tinyplan_add_model(${target}): NAME must be a C identifier, got '${TP_NAME}'")
    endif()
  else()
    get_filename_component(stem "${model}" NAME_WE)
    string(MAKE_C_IDENTIFIER "${stem}" name)
  endif()

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/tinyplan/${name}")
  set(source "${dir}/${name}.c")
  set(header "${dir}/${name}.h")
  set(report "${dir}/${name}.report.json")
  set(args "${model}" -o "${source}" --name "${name}" --report-json "${report}")
  if(TP_TARGET_MCU)
    list(APPEND args --target "${TP_TARGET_MCU}" --fail-if-over)
  endif()
  list(APPEND args ${TP_OPTIONS})
  get_filename_component(model_file "${model}" NAME)
  set(comment "tinyplan: ${model_file} -> ${name}.c")
  if(TP_TARGET_MCU)
    string(APPEND comment " (checked against ${TP_TARGET_MCU})")
  endif()
  add_custom_command(
    OUTPUT "${source}" "${header}" "${report}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${dir}"
    COMMAND tinyplan::tinyplan ${args}
    DEPENDS "${model}" "$<TARGET_FILE:tinyplan::tinyplan>"
    COMMENT "${comment}"
    VERBATIM)
  target_sources("${target}" PRIVATE "${source}" "${header}")
  target_include_directories("${target}" PRIVATE "${dir}")
  # The kernels call <math.h> functions.
  if(NOT MSVC)
    target_link_libraries("${target}" PRIVATE m)
  endif()
endfunction()
