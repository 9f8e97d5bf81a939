# iotbaselineConfig.cmake — find_package(iotbaseline) support.
#
# Provides:
#   iotbaseline::iotb            imported executable (the installed `iotb`)
#   IOTB_EXECUTABLE              its path
#   IOTB_RULES_DIR               the installed rule catalogue
#   iotb_add_scan(NAME PATHS path... [FAIL_ON level] [FORMATS fmt[:file]...]
#                 [CONFIG file] [JOBS n])
#       adds a ctest test NAME that runs `iotb scan` on the paths; the test
#       fails when a finding reaches the threshold (exit 1) or on a usage or
#       configuration error (exit 2).
#
# The compiler wrapper (iotb-cc) and its launcher settings come with a later
# module; this one only runs scans.
get_filename_component(_iotb_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

find_program(IOTB_EXECUTABLE iotb PATHS "${_iotb_prefix}/bin" NO_DEFAULT_PATH)
set(IOTB_RULES_DIR "${_iotb_prefix}/share/iotbaseline/rules")

if(NOT IOTB_EXECUTABLE OR NOT EXISTS "${IOTB_RULES_DIR}/clauses.yaml")
  set(iotbaseline_FOUND FALSE)
  set(iotbaseline_NOT_FOUND_MESSAGE
      "iotb or its rules not found under ${_iotb_prefix}")
  return()
endif()

if(NOT TARGET iotbaseline::iotb)
  add_executable(iotbaseline::iotb IMPORTED)
  set_target_properties(iotbaseline::iotb PROPERTIES IMPORTED_LOCATION "${IOTB_EXECUTABLE}")
endif()

function(iotb_add_scan name)
  cmake_parse_arguments(ARG "" "FAIL_ON;CONFIG;JOBS" "PATHS;FORMATS" ${ARGN})
  if(NOT ARG_PATHS)
    message(FATAL_ERROR "iotb_add_scan(${name}): PATHS is required")
  endif()
  set(_args scan)
  if(ARG_FAIL_ON)
    list(APPEND _args --fail-on ${ARG_FAIL_ON})
  endif()
  if(ARG_CONFIG)
    list(APPEND _args --config ${ARG_CONFIG})
  endif()
  if(ARG_JOBS)
    list(APPEND _args -j ${ARG_JOBS})
  endif()
  foreach(_f IN LISTS ARG_FORMATS)
    list(APPEND _args --format ${_f})
  endforeach()
  add_test(NAME ${name} COMMAND iotbaseline::iotb ${_args} ${ARG_PATHS})
endfunction()
