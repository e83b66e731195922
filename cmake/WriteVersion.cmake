# Writes version.h only when the version changed, so an unchanged tree rebuilds nothing.
execute_process(
  COMMAND git describe --tags --always --dirty
  WORKING_DIRECTORY ${SOURCE_DIR}
  OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE rc ERROR_QUIET)
if(NOT rc EQUAL 0 OR version STREQUAL "")
  set(version "0.0.0-unknown")
endif()
set(content "#pragma once\n// Generated from git describe; do not edit.\nnamespace plugfest { inline constexpr const char* kVersion = \"${version}\"; }\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT "${old}" STREQUAL "${content}")
  file(WRITE ${OUTPUT} "${content}")
endif()
