#include "interfaces/adapter/translate.h"

#include <gtest/gtest.h>

namespace plugfest::adapter {
namespace {

AdapterDescription sample_description() {
  AdapterDescription description;
  description.device = {
      "Acme", "AR-1",     "SN1",
      "2.3",  Role::kOdu, Capabilities{"section_type.1", "compression.bfp.9", "mplane.call-home"}};
  description.instruments = {Instrument::kUlDecodedIq};
  return description;
}

TEST(AdapterTranslate, DescribeRoundTrips) {
  const auto description = sample_description();
  auto back = from_proto(to_proto(description));
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, description);
}

// Each invalid Describe answer yields an Error naming the field.
TEST(AdapterTranslate, DescribeRejectsGarbageNamingTheField) {
  const auto expect_field = [](v1::DescribeResponse response, const std::string& field) {
    auto result = from_proto(response);
    ASSERT_FALSE(result) << field;
    EXPECT_EQ(result.error().where, "DescribeResponse");
    EXPECT_TRUE(result.error().message.starts_with(field + ":")) << result.error().message;
  };
  auto base = to_proto(sample_description());
  auto r = base;
  r.set_protocol_version(static_cast<v1::ProtocolVersion>(2));
  expect_field(r, "protocol_version");
  r = base;
  r.set_role(v1::ROLE_UNSPECIFIED);
  expect_field(r, "role");
  r = base;
  r.clear_capabilities();
  expect_field(r, "capabilities");
  r = base;
  r.add_capabilities("compression.bfp.17");
  expect_field(r, "capabilities[3]");
  r = base;
  r.set_vendor("");
  expect_field(r, "vendor");
  r = base;
  r.add_instruments(static_cast<v1::Instrument>(9));
  expect_field(r, "instruments[1]");
}

TEST(AdapterTranslate, CapabilityNamesAreRangeChecked) {
  EXPECT_EQ(capability_name_problem("section_type.3"), "");
  EXPECT_EQ(capability_name_problem("compression.mu-law.8"), "");
  EXPECT_EQ(capability_name_problem("mplane.call-home"), "");
  EXPECT_NE(capability_name_problem("section_type.2"), "");
  EXPECT_NE(capability_name_problem("compression.bfp.0"), "");
  EXPECT_NE(capability_name_problem("compression.zip.9"), "");
  EXPECT_NE(capability_name_problem("numerology.5"), "");
  EXPECT_NE(capability_name_problem("extension.x"), "");
  EXPECT_NE(capability_name_problem("Section_Type.1"), "");
  EXPECT_NE(capability_name_problem("a..b"), "");
}

TEST(AdapterTranslate, SessionRequestRoundTripsAndIsValidated) {
  SessionRequest request;
  request.session_id = "s1";
  request.harness_endpoint = EthernetEndpoint{"eth0", "02:00:00:00:00:01", 100, 7};
  request.dl_compression = {{fronthaul::CompressionMethod::kBlockFloatingPoint, 9}, true};
  auto back = from_proto(to_proto(request));
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, request);

  auto bad = to_proto(request);
  bad.mutable_eaxc_split()->set_cc_bits(5);
  auto result = from_proto(bad);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("eaxc_split"), std::string::npos);

  bad = to_proto(request);
  bad.mutable_harness_endpoint()->mutable_ethernet()->set_mac("02:00:00:00:00");
  result = from_proto(bad);
  ASSERT_FALSE(result);
  EXPECT_TRUE(result.error().message.starts_with("harness_endpoint.ethernet.mac:"));
}

TEST(AdapterTranslate, SessionSetupValidatesPortsAndAuth) {
  SessionSetup setup{
      UdpEndpoint{"192.0.2.1", 5000},
      ManagementEndpoint{"192.0.2.1", 830, "u", ManagementAuth::kPublicKey, "", false, {}}};
  auto back = from_proto(to_proto(setup));
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, setup);

  auto bad = to_proto(setup);
  bad.mutable_dut_endpoint()->mutable_udp()->set_port(70000);
  auto result = from_proto(bad);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "dut_endpoint.udp.port: 70000 is outside 1..65535");

  bad = to_proto(setup);
  bad.clear_dut_endpoint();
  EXPECT_FALSE(from_proto(bad));

  bad = to_proto(setup);
  bad.mutable_management()->set_auth(v1::MANAGEMENT_AUTH_UNSPECIFIED);
  result = from_proto(bad);
  ASSERT_FALSE(result);
  EXPECT_TRUE(result.error().message.starts_with("management.auth:"));
}

TEST(AdapterTranslate, ManagementAccountsAndCallHomeRoundTrip) {
  SessionSetup setup{
      UdpEndpoint{"192.0.2.1", 5000},
      ManagementEndpoint{"192.0.2.1",
                         830,
                         "admin",
                         ManagementAuth::kPassword,
                         "secret",
                         true,
                         {{"fm", "fm-secret", "fm-pm"}, {"sw", "sw-secret", "swm"}}}};
  auto back = from_proto(to_proto(setup));
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, setup);
  auto bad = to_proto(setup);
  bad.mutable_management()->mutable_accounts(1)->clear_user();
  auto result = from_proto(bad);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "management.accounts[1].user: empty");

  SessionRequest request;
  request.session_id = "s";
  request.harness_endpoint = UdpEndpoint{"127.0.0.1", 4000};
  request.management_call_home = CallHomeAddress{"127.0.0.1", 4334};
  auto request_back = from_proto(to_proto(request));
  ASSERT_TRUE(request_back) << request_back.error().to_string();
  EXPECT_EQ(*request_back, request);
  auto bad_request = to_proto(request);
  bad_request.mutable_management_call_home()->set_port(0);
  auto refused = from_proto(bad_request);
  ASSERT_FALSE(refused);
  EXPECT_TRUE(refused.error().message.starts_with("management_call_home.port:"));
}

TEST(AdapterTranslate, StimuliRoundTrip) {
  const Stimulus dl = DlTestPattern{"full-prb-qpsk", 10, 100, 20, 42};
  auto back = from_proto(to_proto("s", dl));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, dl);
  const Stimulus ul = UlAirSignal{1, SignalKind::kTone, 17, 3, -20.0};
  back = from_proto(to_proto("s", ul));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, ul);

  auto bad = to_proto("s", Stimulus{DlTestPattern{"p", 200, 100, 0, 0}});
  auto result = from_proto(bad);
  ASSERT_FALSE(result);
  EXPECT_TRUE(result.error().message.starts_with("dl_test_pattern.start_prb:"));
  EXPECT_FALSE(from_proto(v1::StimulateRequest{}));
}

TEST(AdapterTranslate, ObservationSamplesMustFitSixteenBits) {
  Observation observation{true, "", {IqSymbol{3, 0, std::vector<std::int16_t>(24, -5)}}};
  auto back = from_proto(to_proto(observation));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, observation);

  auto bad = to_proto(observation);
  bad.mutable_symbols(0)->set_iq(5, 40000);
  auto result = from_proto(bad);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "symbols[0].iq[5]: 40000 is outside -32768..32767");

  bad = to_proto(observation);
  bad.mutable_symbols(0)->add_iq(1);
  EXPECT_FALSE(from_proto(bad));

  v1::ObserveResponse unavailable;
  EXPECT_FALSE(from_proto(unavailable)) << "unavailable needs a reason";
  unavailable.set_unavailable_reason("no analyser");
  auto ok = from_proto(unavailable);
  ASSERT_TRUE(ok);
  EXPECT_FALSE(ok->available);
}

TEST(AdapterTranslate, CountersRoundTripAndRejectWrappedNegatives) {
  const FronthaulCounters counters{1, 2, 3, 4, 5, 6};
  auto back = from_proto(to_proto(counters));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, counters);
  auto bad = to_proto(counters);
  bad.set_rx_late(static_cast<std::uint64_t>(-1));
  auto result = from_proto(bad);
  ASSERT_FALSE(result);
  EXPECT_TRUE(result.error().message.starts_with("rx_late:"));
}

}  // namespace
}  // namespace plugfest::adapter
