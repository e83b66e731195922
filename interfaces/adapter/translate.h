#pragma once
// The one translation layer between the adapter protocol's generated types
// (plugfest.adapter.v1) and the domain types of session.h. Only the adapter library and
// C++ adapters include this; everything else sees domain types.
//
// from_proto() validates: an answer the harness cannot trust (unknown protocol version,
// unspecified role, no capabilities, out-of-range numbers...) becomes an Error whose
// `where` is the message type and whose message starts with the field path.

#include <string>

#include "interfaces/adapter/session.h"
#include "interfaces/common/result.h"
#include "plugfest/adapter/v1/adapter.pb.h"

namespace plugfest::adapter {

// v1:: below is the generated plugfest::adapter::v1 (an alias of the same name would be a
// redefinition, which clang rejects).

v1::DescribeResponse to_proto(const AdapterDescription& description);
Result<AdapterDescription> from_proto(const v1::DescribeResponse& response);

v1::PrepareSessionRequest to_proto(const SessionRequest& request);
Result<SessionRequest> from_proto(const v1::PrepareSessionRequest& request);

v1::PrepareSessionResponse to_proto(const SessionSetup& setup);
Result<SessionSetup> from_proto(const v1::PrepareSessionResponse& response);

v1::StimulateRequest to_proto(const std::string& session_id, const Stimulus& stimulus);
Result<Stimulus> from_proto(const v1::StimulateRequest& request);

v1::StimulateResponse to_proto(const std::optional<SlotPoint>& first_slot);
Result<std::optional<SlotPoint>> from_proto(const v1::StimulateResponse& response);

v1::ObserveRequest to_proto(const std::string& session_id, const ObservationRequest& request);
Result<ObservationRequest> from_proto(const v1::ObserveRequest& request);

v1::ObserveResponse to_proto(const Observation& observation);
Result<Observation> from_proto(const v1::ObserveResponse& response);

v1::CountersResponse to_proto(const FronthaulCounters& counters);
Result<FronthaulCounters> from_proto(const v1::CountersResponse& response);

// Checks one capability name (lowercase dotted; numeric last parts range-checked as
// adapter.proto's DescribeResponse.capabilities says). Returns the problem, or "".
std::string capability_name_problem(std::string_view name);

}  // namespace plugfest::adapter
