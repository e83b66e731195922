#include "interfaces/transport/udp_socket.h"

#include <gtest/gtest.h>

#include <thread>

namespace plugfest::transport {
namespace {

using std::chrono::milliseconds;

std::vector<std::uint8_t> datagram(std::uint8_t tag, std::size_t size) {
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(tag + i);
  return bytes;
}

std::unique_ptr<EcpriUdpSocket> open_on(asio::io_context& io, const char* host,
                                        UdpOptions options = {}) {
  auto local = make_udp_endpoint(host, 0);
  EXPECT_TRUE(local) << local.error().to_string();
  auto socket = EcpriUdpSocket::open(io, *local, options);
  EXPECT_TRUE(socket) << socket.error().to_string();
  return socket ? std::move(*socket) : nullptr;
}

class BothFamilies : public ::testing::TestWithParam<const char*> {};

TEST_P(BothFamilies, DatagramsArriveIntactWithKernelTimestamps) {
  asio::io_context io;
  auto a = open_on(io, GetParam());
  auto b = open_on(io, GetParam());
  ASSERT_TRUE(a && b);
  EXPECT_NE(b->local_endpoint().port(), 0);
  EXPECT_EQ(b->timestamp_source(), TimestampSource::kKernel);

  const Timestamp before = now();
  const auto sent = datagram(7, 1500);
  ASSERT_TRUE(a->send_to(sent, b->local_endpoint()));
  auto got = b->receive(milliseconds(5000));
  ASSERT_TRUE(got) << got.error().to_string();
  ASSERT_EQ(got->size(), 1u);
  const UdpDatagram& d = (*got)[0];
  EXPECT_EQ(std::vector<std::uint8_t>(d.packet.bytes.begin(), d.packet.bytes.end()), sent);
  EXPECT_FALSE(d.packet.truncated);
  EXPECT_EQ(d.sender, a->local_endpoint());
  EXPECT_EQ(d.packet.timestamp_source, TimestampSource::kKernel);
  EXPECT_GE(d.packet.timestamp, before);
  EXPECT_LE(d.packet.timestamp, now());
}

INSTANTIATE_TEST_SUITE_P(Loopback, BothFamilies, ::testing::Values("127.0.0.1", "::1"),
                         [](const auto& info) {
                           return std::string(info.index == 0 ? "IPv4" : "IPv6");
                         });

TEST(EcpriUdpSocket, UserSpaceTimestampsWhenKernelOnesAreNotWanted) {
  asio::io_context io;
  UdpOptions options;
  options.kernel_timestamps = false;
  auto a = open_on(io, "127.0.0.1");
  auto b = open_on(io, "127.0.0.1", options);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(b->timestamp_source(), TimestampSource::kUserSpace);
  ASSERT_TRUE(a->send_to(datagram(1, 64), b->local_endpoint()));
  auto got = b->receive(milliseconds(5000));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].packet.timestamp_source, TimestampSource::kUserSpace);
}

TEST(EcpriUdpSocket, QueuedDatagramsComeInBatchesInOrder) {
  asio::io_context io;
  UdpOptions options;
  options.batch_size = 16;
  options.receive_buffer_bytes = 1 << 20;
  auto a = open_on(io, "127.0.0.1");
  auto b = open_on(io, "127.0.0.1", options);
  ASSERT_TRUE(a && b);
  constexpr int kCount = 100;
  for (int i = 0; i < kCount; ++i) ASSERT_TRUE(a->send_to(datagram(i, 200), b->local_endpoint()));
  int received = 0;
  std::size_t largest_batch = 0;
  while (received < kCount) {
    auto got = b->receive(milliseconds(5000));
    ASSERT_TRUE(got);
    ASSERT_FALSE(got->empty()) << "timed out after " << received;
    largest_batch = std::max(largest_batch, got->size());
    for (const auto& d : *got) {
      EXPECT_EQ(d.packet.bytes[0], static_cast<std::uint8_t>(received)) << "reordered";
      ++received;
    }
  }
  EXPECT_TRUE(b->batched_receive());
  EXPECT_EQ(largest_batch, 16u);  // everything was queued: full batches
}

TEST(EcpriUdpSocket, SendBatchDeliversEveryDatagramInOrder) {
  asio::io_context io;
  auto a = open_on(io, "127.0.0.1");
  auto b = open_on(io, "127.0.0.1");
  ASSERT_TRUE(a && b);
  std::vector<std::vector<std::uint8_t>> data;
  for (int i = 0; i < 5; ++i) data.push_back(datagram(static_cast<std::uint8_t>(i * 10), 300));
  std::vector<std::span<const std::uint8_t>> views(data.begin(), data.end());
  auto sent = a->send_batch(views, b->local_endpoint());
  ASSERT_TRUE(sent) << sent.error().to_string();
  EXPECT_EQ(*sent, 5u);
  std::size_t got_count = 0;
  while (got_count < 5) {
    auto got = b->receive(milliseconds(5000));
    ASSERT_TRUE(got);
    ASSERT_FALSE(got->empty());
    for (const auto& d : *got) {
      EXPECT_EQ(d.packet.bytes[0], data[got_count][0]);
      ++got_count;
    }
  }
}

TEST(EcpriUdpSocket, SegmentationOffloadDeliversTheSameDatagrams) {
  asio::io_context io;
  UdpOptions options;
  options.segmentation_offload = true;
  auto a = open_on(io, "127.0.0.1", options);
  UdpOptions roomy;
  roomy.receive_buffer_bytes = 4 << 20;
  auto b = open_on(io, "127.0.0.1", roomy);
  ASSERT_TRUE(a && b);
  // Runs of equal sizes (one longer than a single send may carry), odd sizes between them.
  std::vector<std::vector<std::uint8_t>> data;
  for (int i = 0; i < 12; ++i) data.push_back(datagram(static_cast<std::uint8_t>(i), 7000));
  data.push_back(datagram(100, 31));
  for (int i = 0; i < 3; ++i) data.push_back(datagram(static_cast<std::uint8_t>(200 + i), 500));
  data.push_back(datagram(250, 1));
  std::vector<std::span<const std::uint8_t>> views(data.begin(), data.end());
  auto sent = a->send_batch(views, b->local_endpoint());
  ASSERT_TRUE(sent) << sent.error().to_string();
  EXPECT_EQ(*sent, data.size());
  std::vector<std::vector<std::uint8_t>> received;
  while (received.size() < data.size()) {
    auto got = b->receive(milliseconds(5000));
    ASSERT_TRUE(got);
    ASSERT_FALSE(got->empty());
    for (const auto& d : *got) {
      EXPECT_FALSE(d.packet.truncated);
      received.emplace_back(d.packet.bytes.begin(), d.packet.bytes.end());
    }
  }
  EXPECT_EQ(received, data);
}

TEST(EcpriUdpSocket, OversizedDatagramIsMarkedTruncated) {
  asio::io_context io;
  UdpOptions options;
  options.max_datagram_bytes = 100;
  auto a = open_on(io, "127.0.0.1");
  auto b = open_on(io, "127.0.0.1", options);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->send_to(datagram(0, 300), b->local_endpoint()));
  auto got = b->receive(milliseconds(5000));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 1u);
  EXPECT_TRUE((*got)[0].packet.truncated);
  EXPECT_EQ((*got)[0].packet.bytes.size(), 100u);
}

TEST(EcpriUdpSocket, ReceiveTimesOutEmpty) {
  asio::io_context io;
  auto b = open_on(io, "127.0.0.1");
  ASSERT_TRUE(b);
  auto got = b->receive(milliseconds(20));
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->empty());
}

TEST(EcpriUdpSocket, AsyncReceiveOnTheIoContext) {
  asio::io_context io;
  auto a = open_on(io, "::1");
  auto b = open_on(io, "::1");
  ASSERT_TRUE(a && b);
  int received = 0;
  b->start_receiving([&](std::span<const UdpDatagram> batch) {
    received += static_cast<int>(batch.size());
    if (received >= 20) {
      b->close();
      io.stop();
    }
  });
  std::thread runner([&io] { io.run_for(std::chrono::seconds(10)); });
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(a->send_to(datagram(i, 64), b->local_endpoint()));
  runner.join();
  EXPECT_EQ(received, 20);
}

TEST(EcpriUdpSocket, BadAddressesAreNamed) {
  auto bad = make_udp_endpoint("not-an-address", 1);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("not-an-address"), std::string::npos);
  ASSERT_TRUE(make_udp_endpoint("[::1]", 5));
  asio::io_context io;
  // A port already taken is refused with the address in the error.
  auto a = open_on(io, "127.0.0.1");
  ASSERT_TRUE(a);
  auto clash = EcpriUdpSocket::open(io, a->local_endpoint());
  ASSERT_FALSE(clash);
  EXPECT_NE(clash.error().where.find("127.0.0.1"), std::string::npos);
  EXPECT_NE(clash.error().message.find("bind"), std::string::npos);
}

}  // namespace
}  // namespace plugfest::transport
