# The version is `git describe` of the checkout, regenerated at every build so a
# binary never reports a stale commit.
add_custom_target(plugfest_version_header
  COMMAND ${CMAKE_COMMAND}
    -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
    -DOUTPUT=${PROJECT_BINARY_DIR}/generated/plugfest/version.h
    -P ${PROJECT_SOURCE_DIR}/cmake/WriteVersion.cmake
  BYPRODUCTS ${PROJECT_BINARY_DIR}/generated/plugfest/version.h
  COMMENT "plugfest version from git describe")
add_library(plugfest_version INTERFACE)
target_include_directories(plugfest_version INTERFACE ${PROJECT_BINARY_DIR}/generated)
add_dependencies(plugfest_version plugfest_version_header)
