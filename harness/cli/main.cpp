#include "harness/cli/cli.h"

int main(int argc, char** argv) { return plugfest::cli::run(argc, argv); }
