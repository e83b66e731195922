#include "harness/tester/fronthaul_port.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <thread>

#include "harness/tester/traffic.h"
#include "interfaces/fronthaul/framing.h"
#include "interfaces/fronthaul/pcap.h"
#include "interfaces/common/testing/temp_dir.h"

namespace plugfest::harness::tester {
namespace {

using fronthaul::DataDirection;
using std::chrono::milliseconds;

using plugfest::testing::TempDir;

transport::FronthaulConfig small_setup() {
  transport::FronthaulConfig setup;
  setup.carrier_prbs = 51;
  setup.antennas = 2;
  setup.dilation = 100;
  return setup;
}

struct Pair {
  std::unique_ptr<FronthaulPort> odu, oru;
};

Pair open_pair(const transport::FronthaulConfig& setup, const TempDir& dir) {
  auto odu = FronthaulPort::open(setup, Plays::kOdu, "127.0.0.1", dir.file("odu.pcap"));
  auto oru = FronthaulPort::open(setup, Plays::kOru, "127.0.0.1", dir.file("oru.pcap"));
  EXPECT_TRUE(odu && oru);
  (*odu)->set_peer((*oru)->local_endpoint());
  return {std::move(*odu), std::move(*oru)};
}

TEST(FronthaulPort, DownlinkSlotArrivesDecodedNumberedAndCaptured) {
  TempDir dir;
  const auto setup = small_setup();
  auto [odu, oru] = open_pair(setup, dir);
  const auto clock = setup.clock();
  const auto slot = slot_ref(clock, 10);
  for (std::uint16_t a = 0; a < setup.antennas; ++a) {
    ASSERT_TRUE(odu->send(
        st1_cplane(setup, DataDirection::kDownlink, slot.point, transport::data_eaxc(a), {SectionRequest{}})));
    for (std::uint8_t s = 0; s < 14; ++s) {
      auto iq = symbol_signal(5, a, slot.first_symbol + s, setup.carrier_prbs, -12);
      auto up = uplane_message(setup, DataDirection::kDownlink, slot.point, s, transport::data_eaxc(a), 1, 0,
                               iq, setup.dl_compression);
      ASSERT_TRUE(up);
      ASSERT_TRUE(odu->send(*up));
    }
  }
  ASSERT_TRUE(oru->receive_until(transport::now() + milliseconds(2000), milliseconds(200)));
  const auto got = oru->received();
  ASSERT_EQ(got.size(), 30u);
  EXPECT_EQ(oru->peer(), odu->local_endpoint());
  for (const auto* p : got) EXPECT_FALSE(p->decoded.has_errors());
  EXPECT_TRUE(oru->stream_findings().empty());
  // The third U-plane message of antenna 0 carries ecpriSeqid 2.
  EXPECT_EQ(got[3]->decoded.message.seq_id.sequence_id, 2);

  // The IQ survives the trip within the compression's error.
  const auto& uplane = std::get<fronthaul::UplaneMessage>(got[1]->decoded.message.body);
  auto received = uplane_iq(uplane, setup.dl_compression, setup.carrier_prbs);
  SlotIq sent{{0, {SymbolIq{0, symbol_signal(5, 0, slot.first_symbol, setup.carrier_prbs, -12)}}}};
  auto evm = compare_iq(sent, received);
  EXPECT_EQ(evm.compared, setup.carrier_prbs * 12u);
  EXPECT_LT(evm.evm_percent, 2.0);

  ASSERT_TRUE(oru->close_capture());
  ASSERT_TRUE(odu->close_capture());
  auto reader = fronthaul::PcapReader::open(dir.file("oru.pcap"));
  ASSERT_TRUE(reader);
  std::size_t frames = 0;
  for (;;) {
    auto frame = reader->next();
    ASSERT_TRUE(frame);
    if (!*frame) break;
    const std::uint16_t ports[] = {odu->local_endpoint().port()};
    auto located = fronthaul::locate_ecpri((*frame)->bytes, ports);
    ASSERT_TRUE(located) << located.error().message;
    EXPECT_EQ(located->payload.size(), got[frames]->bytes.size());
    // Each packet names its frame of the pcap and where its eCPRI header sits in it.
    EXPECT_EQ(got[frames]->frame_number, (*frame)->frame_number);
    EXPECT_EQ(got[frames]->ecpri_offset, located->offset);
    EXPECT_EQ(where(*got[frames], 4),
              "frame " + std::to_string((*frame)->frame_number) + " byte " +
                  std::to_string(located->offset + 4));
    ++frames;
  }
  EXPECT_EQ(frames, 30u);
  fronthaul::Finding finding;
  finding.byte_offset = 6;
  finding.packet_index = got[2]->index;
  EXPECT_EQ(oru->where(finding), "frame 3 byte " + std::to_string(got[2]->ecpri_offset + 6));
}

TEST(FronthaulPort, SendsEarlyOnTimeAndLateOnPurpose) {
  TempDir dir;
  const auto setup = small_setup();
  auto [odu, oru] = open_pair(setup, dir);
  const auto clock = setup.clock();
  const auto window = setup.dilated_windows().t2a_up;
  const auto slot = first_slot_at_or_after(clock, transport::now() + milliseconds(80));
  const auto iq = symbol_signal(1, 0, 0, setup.carrier_prbs, -12);
  const transport::Timestamp start = slot.symbol_start(clock, 0);
  const auto half = (window.max - window.min) / 2;
  const std::pair<transport::Timestamp, transport::WindowPosition> sends[] = {
      {window.opens(start) - half, transport::WindowPosition::kEarly},
      {window.target(start), transport::WindowPosition::kOnTime},
      {window.closes(start) + half, transport::WindowPosition::kLate},
  };
  for (const auto& [at, expected] : sends) {
    auto up = uplane_message(setup, DataDirection::kDownlink, slot.point, 0, transport::data_eaxc(0), 1, 0, iq,
                             setup.dl_compression);
    ASSERT_TRUE(up);
    auto sent = odu->send(*up, at);
    ASSERT_TRUE(sent);
    EXPECT_EQ(window.classify((*sent)->at, start), expected);
  }
  ASSERT_TRUE(oru->receive_until(transport::now() + milliseconds(1000), milliseconds(100)));
  const auto got = oru->received();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(window.classify(got[0]->at, start), transport::WindowPosition::kEarly);
  EXPECT_EQ(window.classify(got[2]->at, start), transport::WindowPosition::kLate);
}

// A receiver that comes back after its deadline still takes what arrived before it.
TEST(FronthaulPort, TakesWhatIsQueuedWhenItReceivesPastTheDeadline) {
  TempDir dir;
  const auto setup = small_setup();
  auto [odu, oru] = open_pair(setup, dir);
  const auto slot = slot_ref(setup.clock(), 10);
  for (std::uint16_t a = 0; a < setup.antennas; ++a) {
    ASSERT_TRUE(odu->send(
        st1_cplane(setup, DataDirection::kUplink, slot.point, transport::data_eaxc(a), {SectionRequest{}})));
  }
  const auto deadline = transport::now();
  std::this_thread::sleep_for(milliseconds(50));  // the datagrams are queued by now
  auto got = oru->receive_until(deadline);
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, setup.antennas);
  EXPECT_EQ(oru->received().size(), setup.antennas);
}

TEST(FronthaulPort, RejectsABadSetupAndSendingWithoutPeer) {
  auto setup = small_setup();
  setup.antennas = 9;  // 18 ports do not fit 4 RU port bits
  EXPECT_FALSE(FronthaulPort::open(setup, Plays::kOdu, "127.0.0.1", ""));
  auto port = FronthaulPort::open(small_setup(), Plays::kOdu, "127.0.0.1", "");
  ASSERT_TRUE(port);
  EXPECT_FALSE((*port)->send_bytes({1, 2, 3}));
}

}  // namespace
}  // namespace plugfest::harness::tester
