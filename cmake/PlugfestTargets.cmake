# Warnings are errors on project code only: plugfest_warnings is linked PRIVATE into
# every project target, and dependencies' headers are included as SYSTEM.
add_library(plugfest_warnings INTERFACE)
target_compile_options(plugfest_warnings INTERFACE -Wall -Wextra -Werror)

# plugfest_library(NAME SOURCES... [DEPS ...]) - a project library with its public
# include root at the repository root, so includes read "interfaces/fronthaul/x.h".
function(plugfest_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE plugfest_warnings ${ARG_PRIVATE_DEPS})
endfunction()

# plugfest_test(NAME SOURCES... DEPS ...) - a GoogleTest binary registered with CTest.
function(plugfest_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main plugfest_warnings)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endfunction()

# plugfest_benchmark(NAME SOURCES... DEPS ...) - a Google Benchmark binary (not a test).
function(plugfest_benchmark name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark plugfest_warnings)
endfunction()
