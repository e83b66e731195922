#include "harness/engine/dut.h"

namespace plugfest::harness {

namespace {
DutConnectorFactory& connector_factory() {
  static DutConnectorFactory factory;
  return factory;
}
}  // namespace

bool register_dut_connector(DutConnectorFactory factory) {
  connector_factory() = std::move(factory);
  return true;
}

std::unique_ptr<DutConnector> make_dut_connector() {
  return connector_factory() ? connector_factory()() : nullptr;
}

}  // namespace plugfest::harness
