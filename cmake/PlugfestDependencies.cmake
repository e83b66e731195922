# Every dependency comes from a Debian package (ci/setup installs them); nothing is
# vendored or downloaded.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(GTest REQUIRED)
find_package(benchmark REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)

pkg_check_modules(PCAP REQUIRED IMPORTED_TARGET libpcap)
pkg_check_modules(LIBYANG REQUIRED IMPORTED_TARGET libyang)
pkg_check_modules(LIBNETCONF2 REQUIRED IMPORTED_TARGET libnetconf2)
# Debian builds libnetconf2 with SSH and TLS but its .pc file does not say so; the
# public headers only declare the SSH/TLS API when these are defined.
target_compile_definitions(PkgConfig::LIBNETCONF2 INTERFACE NC_ENABLED_SSH NC_ENABLED_TLS)

# asio is header-only (libasio-dev); standalone, without Boost.
find_path(ASIO_INCLUDE_DIR asio.hpp REQUIRED)
add_library(plugfest_asio INTERFACE)
target_include_directories(plugfest_asio SYSTEM INTERFACE ${ASIO_INCLUDE_DIR})
target_compile_definitions(plugfest_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED)
target_link_libraries(plugfest_asio INTERFACE Threads::Threads)

find_program(PROTOC_EXECUTABLE protoc REQUIRED)
find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
find_program(TSHARK_EXECUTABLE tshark)
find_program(YANGLINT_EXECUTABLE yanglint)
