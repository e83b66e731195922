#include "interfaces/transport/relay.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <thread>

#include "interfaces/fronthaul/codec.h"
#include "interfaces/fronthaul/framing.h"
#include "interfaces/fronthaul/pcap.h"
#include "interfaces/transport/pcap_tap.h"
#include "interfaces/transport/tap_worker.h"
#include "interfaces/transport/validator_tap.h"

namespace plugfest::transport {
namespace {

using asio::ip::udp;
using std::chrono::milliseconds;

struct Recorded {
  RelayDirection direction;
  std::vector<std::uint8_t> bytes;
  Timestamp timestamp;
  TimestampSource source;
  udp::endpoint from;
  std::uint64_t index;
  bool forwarded;
};

class RecordingTap : public PacketTap {
 public:
  void on_packet(const TappedPacket& p) override {
    std::lock_guard lock(mutex_);
    packets_.push_back({p.direction,
                        {p.ecpri.begin(), p.ecpri.end()},
                        p.timestamp,
                        p.timestamp_source,
                        p.source,
                        p.index,
                        p.forwarded});
  }
  std::vector<Recorded> packets() {
    std::lock_guard lock(mutex_);
    return packets_;
  }

 private:
  std::mutex mutex_;
  std::vector<Recorded> packets_;
};

std::vector<std::uint8_t> message(std::uint8_t tag) {
  // Bytes as an eCPRI IQ data message would start; content is the relay's business only.
  return {0x10, 0x00, 0x00, 0x08, 0x00, 0x01, tag, 0x80, 1, 2, 3, 4};
}

std::vector<std::uint8_t> receive_one(EcpriUdpSocket& socket, udp::endpoint* from = nullptr) {
  auto got = socket.receive(milliseconds(5000));
  EXPECT_TRUE(got);
  if (!got || got->empty()) return {};
  if (from) *from = (*got)[0].sender;
  return {(*got)[0].packet.bytes.begin(), (*got)[0].packet.bytes.end()};
}

class RelayOnLoopback : public ::testing::Test {
 protected:
  void SetUp() override {
    const udp::endpoint any(asio::ip::make_address("127.0.0.1"), 0);
    o_du_ = EcpriUdpSocket::open(endpoints_io_, any).value();
    o_ru_ = EcpriUdpSocket::open(endpoints_io_, any).value();
    UdpRelayConfig config{any, any, std::nullopt, o_ru_->local_endpoint(), {}};
    auto relay = UdpRelay::open(relay_io_, config);
    ASSERT_TRUE(relay) << relay.error().to_string();
    relay_ = std::move(*relay);
  }
  void run_relay() {
    relay_->start();
    runner_ = std::thread([this] { relay_io_.run(); });
  }
  void stop_relay() {
    asio::post(relay_io_, [this] {
      relay_->stop();
      relay_io_.stop();
    });
    runner_.join();
  }

  asio::io_context endpoints_io_;
  asio::io_context relay_io_;
  std::unique_ptr<EcpriUdpSocket> o_du_, o_ru_;
  std::unique_ptr<UdpRelay> relay_;
  std::thread runner_;
};

TEST_F(RelayOnLoopback, ForwardsBothWaysAndTapsEveryPacketInOrder) {
  RecordingTap tap;
  relay_->add_tap(tap);
  run_relay();
  const Timestamp before = now();
  ASSERT_TRUE(o_du_->send_to(message(1), relay_->du_facing_endpoint()));
  udp::endpoint dl_from;
  EXPECT_EQ(receive_one(*o_ru_, &dl_from), message(1));
  EXPECT_EQ(dl_from, relay_->ru_facing_endpoint());  // the O-RU sees the relay as its O-DU
  // The O-RU answers the relay; the relay learnt where the O-DU is.
  ASSERT_TRUE(o_ru_->send_to(message(2), dl_from));
  udp::endpoint ul_from;
  EXPECT_EQ(receive_one(*o_du_, &ul_from), message(2));
  EXPECT_EQ(ul_from, relay_->du_facing_endpoint());
  ASSERT_TRUE(o_du_->send_to(message(3), relay_->du_facing_endpoint()));
  EXPECT_EQ(receive_one(*o_ru_), message(3));
  stop_relay();

  const auto packets = tap.packets();
  ASSERT_EQ(packets.size(), 3u);
  const RelayDirection expected[] = {RelayDirection::kDownlink, RelayDirection::kUplink,
                                     RelayDirection::kDownlink};
  for (std::size_t i = 0; i < packets.size(); ++i) {
    EXPECT_EQ(packets[i].direction, expected[i]);
    EXPECT_EQ(packets[i].index, i);
    EXPECT_EQ(packets[i].bytes, message(static_cast<std::uint8_t>(i + 1)));
    EXPECT_EQ(packets[i].from == o_du_->local_endpoint(), expected[i] == RelayDirection::kDownlink);
    EXPECT_TRUE(packets[i].forwarded);
    EXPECT_EQ(packets[i].source, TimestampSource::kKernel);
  }
  EXPECT_GE(packets[0].timestamp, before);
  EXPECT_LE(packets[0].timestamp, packets[1].timestamp);
  const RelayCounters c = relay_->counters();
  EXPECT_EQ(c.received[0], 2u);
  EXPECT_EQ(c.forwarded[1], 1u);
  EXPECT_EQ(c.not_forwarded[0] + c.not_forwarded[1], 0u);
}

TEST_F(RelayOnLoopback, UplinkBeforeAnyDownlinkIsTappedButNotForwarded) {
  RecordingTap tap;
  relay_->add_tap(tap);
  run_relay();
  ASSERT_TRUE(o_ru_->send_to(message(9), relay_->ru_facing_endpoint()));
  // Then a DL so the relay has something to forward; by then the UL was handled.
  ASSERT_TRUE(o_du_->send_to(message(1), relay_->du_facing_endpoint()));
  EXPECT_EQ(receive_one(*o_ru_), message(1));
  stop_relay();
  const RelayCounters c = relay_->counters();
  EXPECT_EQ(c.received[1], 1u);
  EXPECT_EQ(c.not_forwarded[1], 1u);
  const auto packets = tap.packets();
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_FALSE(packets[0].forwarded);
}

TEST_F(RelayOnLoopback, PcapTapCanRecordPlainEthernetFrames) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("plugfest-relay-eth-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "relay.pcap").string();
  auto pcap = PcapTap::create(path, CaptureFraming::kEthernet);
  ASSERT_TRUE(pcap) << pcap.error().to_string();
  relay_->add_tap(**pcap);
  run_relay();
  ASSERT_TRUE(o_du_->send_to(message(4), relay_->du_facing_endpoint()));
  ASSERT_EQ(receive_one(*o_ru_), message(4));
  stop_relay();
  ASSERT_TRUE((*pcap)->close());
  auto reader = fronthaul::PcapReader::open(path);
  ASSERT_TRUE(reader);
  auto frame = reader->next();
  ASSERT_TRUE(frame && *frame);
  auto where = fronthaul::locate_ecpri((*frame)->bytes);
  ASSERT_TRUE(where) << where.error().to_string();
  EXPECT_EQ(where->transport, fronthaul::EcpriTransport::kEthernet);
  const auto sent = message(4);
  EXPECT_TRUE(std::equal(sent.begin(), sent.end(), where->payload.begin()));
  std::filesystem::remove_all(dir);
}

TEST_F(RelayOnLoopback, PcapTapRecordsEveryPacketWithAddressesAndTimestamps) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("plugfest-relay-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "relay.pcap").string();
  auto pcap = PcapTap::create(path);
  ASSERT_TRUE(pcap) << pcap.error().to_string();
  RecordingTap recorder;
  relay_->add_tap(**pcap);
  relay_->add_tap(recorder);
  run_relay();
  for (std::uint8_t i = 0; i < 5; ++i) {
    ASSERT_TRUE(o_du_->send_to(message(i), relay_->du_facing_endpoint()));
    ASSERT_EQ(receive_one(*o_ru_), message(i));
    ASSERT_TRUE(o_ru_->send_to(message(100 + i), relay_->ru_facing_endpoint()));
    ASSERT_EQ(receive_one(*o_du_), message(100 + i));
  }
  stop_relay();
  ASSERT_TRUE((*pcap)->close());
  EXPECT_EQ((*pcap)->frames_written(), 10u);

  const auto recorded = recorder.packets();
  auto reader = fronthaul::PcapReader::open(path);
  ASSERT_TRUE(reader) << reader.error().to_string();
  const std::uint16_t ports[] = {o_du_->local_endpoint().port(), o_ru_->local_endpoint().port()};
  for (std::size_t i = 0; i < recorded.size(); ++i) {
    auto frame = reader->next();
    ASSERT_TRUE(frame && *frame) << "frame " << i;
    EXPECT_EQ((*frame)->timestamp, recorded[i].timestamp.time_since_epoch());
    auto where = fronthaul::locate_ecpri((*frame)->bytes, ports);
    ASSERT_TRUE(where) << where.error().to_string();
    EXPECT_TRUE(where->checksums_valid);
    EXPECT_EQ(std::vector<std::uint8_t>(where->payload.begin(), where->payload.end()),
              recorded[i].bytes);
    EXPECT_EQ(where->source_port, recorded[i].from.port());
    EXPECT_EQ(where->source,
              recorded[i].direction == RelayDirection::kDownlink ? kCaptureOduMac : kCaptureOruMac);
  }
  auto end = reader->next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(*end);
  std::filesystem::remove_all(dir);
}

TEST(PcapTap, LocatesEachTappedPacketByItsFrameAndNoUnwrittenOne) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("plugfest-locate-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto pcap = PcapTap::create((dir / "located.pcap").string());
  ASSERT_TRUE(pcap) << pcap.error().to_string();
  const auto bytes = message(1);
  TappedPacket p;
  p.ecpri = bytes;
  p.timestamp = Timestamp(std::chrono::seconds(1));
  p.source = udp::endpoint(asio::ip::make_address("127.0.0.1"), 4000);
  p.destination = udp::endpoint(asio::ip::make_address("127.0.0.1"), 5000);
  // Relay indices 0, 1, 2, then 5 and 6 (3 and 4 went to no capture), then an IPv6 one.
  for (std::uint64_t i : {0, 1, 2, 5, 6}) {
    p.index = i;
    (*pcap)->on_packet(p);
  }
  p.index = 7;
  p.source = udp::endpoint(asio::ip::make_address("::1"), 4000);
  p.destination = udp::endpoint(asio::ip::make_address("::1"), 5000);
  (*pcap)->on_packet(p);
  ASSERT_TRUE((*pcap)->close());
  p.index = 8;
  (*pcap)->on_packet(p);  // refused: the capture is closed

  const std::pair<std::uint64_t, std::size_t> written[] = {{0, 1}, {1, 2}, {2, 3}, {5, 4}, {6, 5}};
  for (const auto& [index, frame] : written) {
    auto at = (*pcap)->locate(index);
    ASSERT_TRUE(at) << "index " << index;
    EXPECT_EQ(at->frame, frame) << "index " << index;
    EXPECT_EQ(at->ecpri_offset, 14u + 20 + 8);
  }
  auto v6 = (*pcap)->locate(7);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->frame, 6u);
  EXPECT_EQ(where_in_frame(*v6, 4), "frame 6 byte " + std::to_string(14 + 40 + 8 + 4));
  for (std::uint64_t missing : {3, 4, 8, 100}) {
    EXPECT_FALSE((*pcap)->locate(missing)) << "index " << missing;
  }
  std::filesystem::remove_all(dir);
}

fronthaul::Message ul_request(std::uint16_t section_id) {
  fronthaul::CplaneMessage c;
  c.header.data_direction = fronthaul::DataDirection::kUplink;
  c.section_type = fronthaul::SectionType::kMostDlUl;
  c.ud_comp_hdr = fronthaul::CompressionParams::from_ud_comp_hdr(0);
  fronthaul::CplaneSection section;
  section.section_id = section_id;
  section.num_prbc = 2;
  section.num_symbol = 14;
  c.sections.push_back(section);
  fronthaul::Message m;
  m.body = c;
  return m;
}

fronthaul::Message ul_answer(std::uint16_t section_id, std::uint8_t seq) {
  fronthaul::UplaneMessage u;
  u.header.data_direction = fronthaul::DataDirection::kUplink;
  fronthaul::UplaneSection section;
  section.section_id = section_id;
  section.num_prbu = 2;
  section.iq_data.resize(2 *
                         fronthaul::prb_payload_bytes({fronthaul::CompressionMethod::kNone, 16}));
  u.sections.push_back(section);
  fronthaul::Message m;
  m.seq_id.sequence_id = seq;
  m.body = u;
  return m;
}

TEST_F(RelayOnLoopback, ValidatorTapJudgesBothDirectionsWithRelayPacketIndices) {
  fronthaul::DecoderConfig config;
  config.uplane_compression = {false, {fronthaul::CompressionMethod::kNone, 16}};
  ValidatorTap validator(config, config);
  relay_->add_tap(validator);
  run_relay();
  ASSERT_TRUE(o_du_->send_to(fronthaul::encode(ul_request(7)), relay_->du_facing_endpoint()));
  udp::endpoint relay_side;
  ASSERT_FALSE(receive_one(*o_ru_, &relay_side).empty());
  ASSERT_TRUE(o_ru_->send_to(fronthaul::encode(ul_answer(7, 0)), relay_side));
  ASSERT_FALSE(receive_one(*o_du_).empty());
  ASSERT_TRUE(o_ru_->send_to(fronthaul::encode(ul_answer(8, 1)), relay_side));  // not requested
  ASSERT_FALSE(receive_one(*o_du_).empty());
  stop_relay();
  EXPECT_EQ(validator.packets(), 3u);
  const auto findings = validator.findings();
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, fronthaul::rules::kStreamUpSectionId);
  EXPECT_EQ(findings[0].packet_index, 2u);
  EXPECT_GT(validator.busy_time().count(), 0);
}

TEST_F(RelayOnLoopback, TapWorkerTakesTapsOffTheForwardingThreadKeepingOrder) {
  RecordingTap tap;
  TapWorker worker({&tap});
  relay_->add_tap(worker);
  run_relay();
  std::vector<std::span<const std::uint8_t>> burst;
  std::vector<std::vector<std::uint8_t>> messages;
  for (std::uint8_t i = 0; i < 20; ++i) messages.push_back(message(i));
  for (const auto& m : messages) burst.emplace_back(m);
  ASSERT_EQ(o_du_->send_batch(burst, relay_->du_facing_endpoint()).value(), burst.size());
  std::vector<std::vector<std::uint8_t>> arrived;
  while (arrived.size() < messages.size()) {
    auto got = o_ru_->receive(milliseconds(5000));
    ASSERT_TRUE(got && !got->empty());
    for (const UdpDatagram& d : *got)
      arrived.emplace_back(d.packet.bytes.begin(), d.packet.bytes.end());
  }
  EXPECT_EQ(arrived, messages);
  stop_relay();
  worker.stop();  // after the relay: hands over what is still queued
  EXPECT_EQ(worker.counters().delivered, 20u);
  EXPECT_EQ(worker.counters().dropped, 0u);
  const auto packets = tap.packets();
  ASSERT_EQ(packets.size(), 20u);
  for (std::size_t i = 0; i < packets.size(); ++i) {
    EXPECT_EQ(packets[i].index, i);
    EXPECT_EQ(packets[i].bytes, message(static_cast<std::uint8_t>(i)));
    EXPECT_TRUE(packets[i].forwarded);
  }
  EXPECT_EQ(relay_->counters().forwarded[0], 20u);
}

TEST_F(RelayOnLoopback, PollingRelayForwardsBothWaysToo) {
  RecordingTap tap;
  relay_->add_tap(tap);
  relay_->set_poll_interval(std::chrono::microseconds(200));
  run_relay();
  ASSERT_TRUE(o_du_->send_to(message(1), relay_->du_facing_endpoint()));
  udp::endpoint relay_side;
  EXPECT_EQ(receive_one(*o_ru_, &relay_side), message(1));
  ASSERT_TRUE(o_ru_->send_to(message(2), relay_side));
  EXPECT_EQ(receive_one(*o_du_), message(2));
  stop_relay();
  const auto packets = tap.packets();
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_EQ(packets[0].direction, RelayDirection::kDownlink);
  EXPECT_EQ(packets[1].direction, RelayDirection::kUplink);
  EXPECT_EQ(packets[1].index, 1u);
  EXPECT_EQ(packets[0].source, TimestampSource::kKernel);
  EXPECT_EQ(relay_->counters().forwarded[1], 1u);
}

TEST(UdpRelay, BadLocalAddressIsNamed) {
  asio::io_context io;
  const udp::endpoint taken(asio::ip::make_address("127.0.0.1"), 0);
  auto first = EcpriUdpSocket::open(io, taken);
  ASSERT_TRUE(first);
  UdpRelayConfig config{taken, (*first)->local_endpoint(), std::nullopt, std::nullopt, {}};
  auto relay = UdpRelay::open(io, config);
  ASSERT_FALSE(relay);
  EXPECT_NE(relay.error().message.find("O-RU-facing"), std::string::npos);
}

}  // namespace
}  // namespace plugfest::transport
