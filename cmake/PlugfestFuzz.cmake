# plugfest_fuzzer(NAME SOURCE FUZZER.cpp SOURCES ... [DEFINES ...] [LIBS ...]) - a libFuzzer target built
# with clang (fuzzer, address and undefined sanitizers) from the project sources it names.
# With clang as the project compiler it is an ordinary target; otherwise, when a clang++
# is installed, a custom command builds it into <build folder>/bin and the g++ build is
# left untouched. LIBS are linker flags for system libraries (-lyaml-cpp). Warnings only
# clang gives (an unused constant) do not stop the build: g++ is the project's judge.
find_program(PLUGFEST_CLANGXX NAMES clang++ clang++-16 clang++-15 clang++-14)

function(plugfest_fuzzer name)
  cmake_parse_arguments(ARG "" "SOURCE" "SOURCES;DEFINES;LIBS" ${ARGN})
  set(_sources ${CMAKE_CURRENT_SOURCE_DIR}/${ARG_SOURCE})
  foreach(_s ${ARG_SOURCES})
    list(APPEND _sources ${PROJECT_SOURCE_DIR}/${_s})
  endforeach()
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    add_executable(${name} ${_sources})
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
    target_compile_definitions(${name} PRIVATE ${ARG_DEFINES})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(${name} PRIVATE plugfest_warnings ${ARG_LIBS})
    return()
  endif()
  if(NOT PLUGFEST_CLANGXX)
    message(STATUS "${name}: no clang++ found, not built")
    return()
  endif()
  set(_out ${CMAKE_CURRENT_BINARY_DIR}/bin/${name})
  list(TRANSFORM ARG_DEFINES PREPEND -D OUTPUT_VARIABLE _defines)
  # Headers change too: depend on every header of the folders the sources come from.
  set(_headers)
  foreach(_s ${_sources})
    get_filename_component(_dir ${_s} DIRECTORY)
    file(GLOB _h ${_dir}/*.h)
    list(APPEND _headers ${_h})
  endforeach()
  list(REMOVE_DUPLICATES _headers)
  add_custom_command(
    OUTPUT ${_out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/bin
    COMMAND ${PLUGFEST_CLANGXX} -std=c++20 -O1 -g -Wall -Wextra -Werror
            -Wno-error=unused-const-variable
            -fsanitize=fuzzer,address,undefined -I${PROJECT_SOURCE_DIR} ${_defines}
            ${_sources} ${ARG_LIBS} -o ${_out}
    DEPENDS ${_sources} ${_headers}
    COMMENT "Building libFuzzer target ${name} with ${PLUGFEST_CLANGXX}"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${_out})
endfunction()
