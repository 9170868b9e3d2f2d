// NetFlow v5 encoder: header fields, record layout, packet splitting, IPv6 handling,
// counter clamping, uptime epochs and checkpoint/resume, byte by byte.
#include <gtest/gtest.h>

#include "abi_guard.hpp"
#include "export_test_support.hpp"

namespace flowgen::detail {
namespace {

using namespace test;

OutputBuffer encode_v5(const EncoderParams& params, const std::vector<Batch>& batches) {
  return encode_all(make_netflow5_encoder, params, batches);
}

TEST(Netflow5, HeaderAndRecordsMatchTheBatch) {
  EncoderParams params;
  params.engine_type = 3;
  params.engine_id = 7;
  params.sampling_interval = 0x4064;
  const Batch batch = ipv4_batch(65);
  const auto packets = packets_of(encode_v5(params, {batch}));
  ASSERT_EQ(packets.size(), 3u);  // 30 + 30 + 5
  const uint64_t boot_ms = kStartNs / 1000000000ULL * 1000;
  uint32_t index = 0;
  for (size_t k = 0; k < packets.size(); ++k) {
    const Packet& p = packets[k];
    const uint32_t count = get_be16(&p[2]);
    EXPECT_EQ(get_be16(&p[0]), 5);
    EXPECT_EQ(count, k < 2 ? 30u : 5u);
    EXPECT_EQ(p.size(), 24 + 48 * count);
    EXPECT_EQ(get_be32(&p[16]), 30 * k) << "flow_sequence = flows before this packet";
    EXPECT_EQ(p[20], 3);
    EXPECT_EQ(p[21], 7);
    EXPECT_EQ(get_be16(&p[22]), 0x4064);
    // unix time - sysUptime is the boot, as collectors compute it.
    const uint64_t unix_ms = uint64_t(get_be32(&p[8])) * 1000 + get_be32(&p[12]) / 1000000;
    EXPECT_EQ(unix_ms - get_be32(&p[4]), boot_ms);
    for (uint32_t r = 0; r < count; ++r, ++index) {
      const uint8_t* rec = &p[24 + 48 * r];
      const uint64_t start_ms = batch.timestamp_ns[index] / 1000000;
      const uint64_t end_ms = (batch.timestamp_ns[index] + batch.duration_ns[index]) / 1000000;
      EXPECT_EQ(get_be32(rec + 0), batch.src_ip4[index]);
      EXPECT_EQ(get_be32(rec + 4), batch.dst_ip4[index]);
      EXPECT_EQ(get_be32(rec + 16), batch.packets[index]);
      EXPECT_EQ(get_be32(rec + 20), batch.bytes[index]);
      EXPECT_EQ(boot_ms + get_be32(rec + 24), start_ms);
      EXPECT_EQ(boot_ms + get_be32(rec + 28), end_ms);
      EXPECT_LE(get_be32(rec + 28), get_be32(&p[4])) << "flow ends before its export";
      EXPECT_EQ(get_be16(rec + 32), batch.src_port[index]);
      EXPECT_EQ(get_be16(rec + 34), 443);
      EXPECT_EQ(rec[37], 0x1b);
      EXPECT_EQ(rec[38], 6);
    }
  }
  EXPECT_EQ(index, 65u);
}

TEST(Netflow5, PacketsStayWithinTheMtu) {
  EncoderParams params;
  params.mtu = 200;  // payload 172: 24 + 3 * 48
  const auto packets = packets_of(encode_v5(params, {ipv4_batch(10)}));
  ASSERT_EQ(packets.size(), 4u);
  for (const auto& p : packets) EXPECT_LE(p.size() + 28, 200u);
  EXPECT_EQ(get_be32(&packets[3][16]), 9u);
  params.mtu = 90;
  auto encoder = make_netflow5_encoder();
  EXPECT_THROW(encoder->begin(params), Error);
}

TEST(Netflow5, Ipv6IsAnErrorUnlessSkipped) {
  Batch batch = ipv4_batch(5);
  make_ipv6(batch, 2);
  auto encoder = make_netflow5_encoder();
  encoder->begin(EncoderParams{});
  OutputBuffer out;
  try {
    encoder->encode(batch, out);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), FLOWGEN_ERR_UNSUPPORTED);
    EXPECT_NE(std::string(e.what()).find("IPv6"), std::string::npos);
  }
  EncoderParams skip;
  skip.skip_unsupported = 1;
  encoder = make_netflow5_encoder();
  encoder->begin(skip);
  encoder->encode(batch, out);
  encoder->encode(batch, out);
  encoder->finish(out);
  EXPECT_EQ(encoder->records_skipped(), 2u);
  const auto packets = packets_of(out);
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(get_be16(&packets[0][2]), 8u);
  EXPECT_EQ(get_be32(&packets[0][24 + 48 * 2]), batch.src_ip4[3]);
}

TEST(Netflow5, CountersAbove32BitsAreClamped) {
  Batch batch = ipv4_batch(1);
  batch.bytes[0] = 1ULL << 33;
  const auto packets = packets_of(encode_v5(EncoderParams{}, {batch}));
  EXPECT_EQ(get_be32(&packets[0][24 + 20]), 0xffffffffu);
}

TEST(Netflow5, LongRunsStartANewEpochInsteadOfWrapping) {
  Batch batch = ipv4_batch(3);
  const uint64_t day_ns = 86400ULL * 1000000000ULL;
  batch.timestamp_ns[1] = kStartNs + 40 * day_ns;
  batch.timestamp_ns[2] = kStartNs + 60 * day_ns;  // past 2^32 ms (49.7 days)
  const auto packets = packets_of(encode_v5(EncoderParams{}, {batch}));
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_EQ(get_be16(&packets[0][2]), 2u);
  EXPECT_EQ(get_be16(&packets[1][2]), 1u);
  EXPECT_EQ(get_be32(&packets[1][16]), 2u) << "sequence continues across epochs";
  const uint32_t uptime = get_be32(&packets[1][4]);
  EXPECT_LT(uptime, 10000u) << "re-booted at the new record";
  const uint64_t unix_ms = uint64_t(get_be32(&packets[1][8])) * 1000 + get_be32(&packets[1][12]) / 1000000;
  EXPECT_EQ(unix_ms - uptime + get_be32(&packets[1][24 + 24]), batch.timestamp_ns[2] / 1000000);
}

TEST(Netflow5, RestoredStateContinuesTheSameBytes) {
  const Batch batch = ipv4_batch(100);
  const OutputBuffer whole = encode_v5(EncoderParams{}, {slice(batch, 0, 45), slice(batch, 45, 55)});

  auto first = make_netflow5_encoder();
  first->begin(EncoderParams{});
  OutputBuffer out;
  first->encode(slice(batch, 0, 45), out);  // leaves a 15-record packet pending
  const std::vector<uint8_t> state = first->save_state();
  auto second = make_netflow5_encoder();
  second->begin(EncoderParams{});
  second->restore_state(state.data(), state.size());
  second->encode(slice(batch, 45, 55), out);
  second->finish(out);
  EXPECT_EQ(out.bytes, whole.bytes);
  EXPECT_EQ(out.packet_ends, whole.packet_ends);

  auto other = make_netflow9_encoder();
  EXPECT_THROW(other->restore_state(state.data(), state.size()), Error);
  EXPECT_THROW(second->restore_state(state.data(), 7), Error);
}

// Regression: the record count in a state was checked only through count * 48, which
// wraps: 2^60 + 15 records passed as 15 and encode() then wrote far past the packet.
TEST(Netflow5, RestoreRefusesARecordCountBeyondThePacket) {
  const Batch batch = ipv4_batch(15);
  auto first = make_netflow5_encoder();
  first->begin(EncoderParams{});
  OutputBuffer out;
  first->encode(batch, out);  // 15 records pending in the packet
  const std::vector<uint8_t> state = first->save_state();
  constexpr size_t kCountAt = 4 + 6 * 8;  // tag, clock (4), sequence, skipped
  ASSERT_EQ(state[kCountAt], 15);
  for (const uint64_t count : {(uint64_t(1) << 60) + 15, uint64_t(31)}) {
    std::vector<uint8_t> bad = state;
    for (int i = 0; i < 8; ++i) bad[kCountAt + size_t(i)] = uint8_t(count >> (8 * i));
    auto second = make_netflow5_encoder();
    second->begin(EncoderParams{});
    EXPECT_THROW(second->restore_state(bad.data(), bad.size()), Error) << count;
  }
}

TEST(Netflow5, SeveralExportersKeepTheirOwnIdentity) {
  const Batch batch = ipv4_batch(40);
  EncoderParams a, b;
  a.engine_id = 1;
  b.engine_id = 2;
  const auto pa = packets_of(encode_v5(a, {slice(batch, 0, 35)}));
  const auto pb = packets_of(encode_v5(b, {slice(batch, 35, 5)}));
  ASSERT_EQ(pa.size(), 2u);
  ASSERT_EQ(pb.size(), 1u);
  EXPECT_EQ(pa[1][21], 1);
  EXPECT_EQ(get_be32(&pa[1][16]), 30u);
  EXPECT_EQ(pb[0][21], 2);
  EXPECT_EQ(get_be32(&pb[0][16]), 0u) << "each exporter has its own sequence";
}

}  // namespace
}  // namespace flowgen::detail
