# plugfest_fuzzer(NAME
#                 SOURCE fuzzer.cpp       the target's LLVMFuzzerTestOneInput
#                 DEPS libs...            what it links in this build (for the replay)
#                 CORPUS folder           committed seeds (and crashes once fixed)
#                 CLANG_SOURCES files...  what the libFuzzer build compiles with clang
#                 CLANG_LINK flags...     what else the libFuzzer build links (system
#                                         libraries, archives of this build)
#                 CLANG_DEPENDS targets...  targets those archives come from
#                 DEFINES names...)       preprocessor definitions for the clang build
#
# With DEPS and CORPUS: NAME_replay, built with the project compiler, and the CTest test
# fuzz_replay.NAME that runs the target on every seed (targets without them have their
# corpus replayed by a GoogleTest of their own). With a clang++ on the machine: NAME itself,
# a libFuzzer binary with ASan and UBSan (in <build>/fuzz/), e.g.
#   build/fuzz/NAME -max_total_time=600 CORPUS_COPY_DIR
# Warnings only clang gives (an unused constant) do not stop that build: g++ is the judge.
find_program(PLUGFEST_FUZZ_CLANGXX NAMES clang++ clang++-16 clang++-15 clang++-14)
function(plugfest_fuzzer name)
  cmake_parse_arguments(ARG "" "SOURCE;CORPUS" "DEPS;CLANG_SOURCES;CLANG_LINK;CLANG_DEPENDS;DEFINES"
                        ${ARGN})
  if(ARG_DEPS AND ARG_CORPUS)
    add_executable(${name}_replay ${ARG_SOURCE}
                   ${PROJECT_SOURCE_DIR}/interfaces/common/fuzz/replay_main.cpp)
    target_link_libraries(${name}_replay PRIVATE ${ARG_DEPS} plugfest_warnings)
    target_compile_definitions(${name}_replay PRIVATE ${ARG_DEFINES})
    add_test(NAME fuzz_replay.${name} COMMAND ${name}_replay ${ARG_CORPUS})
    set_tests_properties(fuzz_replay.${name} PROPERTIES TIMEOUT 120)
  endif()
  if(NOT PLUGFEST_FUZZ_CLANGXX)
    return()
  endif()
  set(_out ${PROJECT_BINARY_DIR}/fuzz/${name})
  list(TRANSFORM ARG_DEFINES PREPEND -D OUTPUT_VARIABLE _defines)
  # Headers change too: depend on every header of the folders the sources come from.
  set(_headers)
  foreach(_s ${ARG_SOURCE} ${ARG_CLANG_SOURCES})
    get_filename_component(_dir ${_s} DIRECTORY)
    file(GLOB _h ${_dir}/*.h)
    list(APPEND _headers ${_h})
  endforeach()
  list(REMOVE_DUPLICATES _headers)
  add_custom_command(
    OUTPUT ${_out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/fuzz
    COMMAND ${PLUGFEST_FUZZ_CLANGXX} -std=c++20 -O1 -g -Wall -Wextra -Werror
            -Wno-error=unused-const-variable
            -fsanitize=fuzzer,address,undefined -I${PROJECT_SOURCE_DIR} ${_defines}
            ${ARG_SOURCE} ${ARG_CLANG_SOURCES} ${ARG_CLANG_LINK} -o ${_out}
    DEPENDS ${ARG_SOURCE} ${ARG_CLANG_SOURCES} ${ARG_CLANG_DEPENDS} ${_headers}
    COMMENT "Building libFuzzer target ${name} with ${PLUGFEST_FUZZ_CLANGXX}"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${_out})
endfunction()
