#include "vendors/sim/mplane/mplane_datastore.h"

namespace plugfest::sim {

const char* initial_oru_data() {
  return R"xml(
<supervision xmlns="urn:o-ran:supervision:1.0">
  <cu-plane-monitoring>
    <configured-cu-monitoring-interval>160</configured-cu-monitoring-interval>
  </cu-plane-monitoring>
</supervision>
)xml";
}

}  // namespace plugfest::sim
