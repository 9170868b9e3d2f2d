// NetFlow v9 encoder (RFC 3954): header, template flowset, data flowsets and padding,
// template resend timers, uptime epochs, MTU and checkpoint/resume, byte by byte.
#include <gtest/gtest.h>

#include "abi_guard.hpp"
#include "export_test_support.hpp"

namespace flowgen::detail {
namespace {

using namespace test;

constexpr size_t kHeader = 20;

OutputBuffer encode_v9(const EncoderParams& params, const std::vector<Batch>& batches) {
  return encode_all(make_netflow9_encoder, params, batches);
}

// Data records in a packet (sum over data flowsets of (length - 4) / record size).
uint32_t data_records(const Packet& p) {
  uint32_t n = 0;
  for (const Set& s : sets_of(p, kHeader))
    if (s.id >= 256) n += static_cast<uint32_t>((s.length - 4) / (s.id == 256 ? 39 : 63));
  return n;
}

bool has_templates(const Packet& p) {
  const auto sets = sets_of(p, kHeader);
  return !sets.empty() && sets[0].id == 0;
}

TEST(Netflow9, FirstPacketCarriesBothTemplates) {
  EncoderParams params;
  params.domain_id = 0x01020304;
  const Batch batch = ipv4_batch(3);
  const auto packets = packets_of(encode_v9(params, {batch}));
  ASSERT_EQ(packets.size(), 1u);
  const Packet& p = packets[0];
  EXPECT_EQ(get_be16(&p[0]), 9);
  EXPECT_EQ(get_be16(&p[2]), 2 + 3) << "count = template records + data records";
  EXPECT_EQ(get_be32(&p[12]), 0u);
  EXPECT_EQ(get_be32(&p[16]), 0x01020304u);
  const auto sets = sets_of(p, kHeader);
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[0].id, 0);
  EXPECT_EQ(sets[0].length, 4u + 2 * (4 + 11 * 4));
  const uint8_t* t = &p[sets[0].offset + 4];
  EXPECT_EQ(get_be16(t), 256);
  EXPECT_EQ(get_be16(t + 2), 11);
  EXPECT_EQ(get_be16(t + 4), 8);  // IPV4_SRC_ADDR
  EXPECT_EQ(get_be16(t + 6), 4);
  const uint8_t* t6 = t + 4 + 11 * 4;
  EXPECT_EQ(get_be16(t6), 257);
  EXPECT_EQ(get_be16(t6 + 4), 27);  // IPV6_SRC_ADDR
  EXPECT_EQ(get_be16(t6 + 6), 16);
  EXPECT_EQ(sets[1].id, 256);
  EXPECT_EQ(sets[1].length, 4u + 3 * 39 + 3) << "padded to 4 bytes";
  EXPECT_EQ(sets[1].offset + sets[1].length, p.size());
}

TEST(Netflow9, DataRecordsCarryTheBatchValues) {
  const Batch batch = ipv4_batch(4);
  const Packet p = packets_of(encode_v9(EncoderParams{}, {batch}))[0];
  const uint64_t boot_ms = uint64_t(get_be32(&p[8])) * 1000 - get_be32(&p[4]);
  EXPECT_EQ(boot_ms, kStartNs / 1000000000ULL * 1000);
  const uint8_t* r = &p[sets_of(p, kHeader)[1].offset + 4];
  for (uint32_t i = 0; i < 4; ++i, r += 39) {
    EXPECT_EQ(get_be32(r), batch.src_ip4[i]);
    EXPECT_EQ(get_be32(r + 4), batch.dst_ip4[i]);
    EXPECT_EQ(get_be16(r + 8), batch.src_port[i]);
    EXPECT_EQ(get_be16(r + 10), 443);
    EXPECT_EQ(r[12], 6);
    EXPECT_EQ(r[13], 0x1b);
    EXPECT_EQ(get_be64(r + 14), batch.packets[i]);
    EXPECT_EQ(get_be64(r + 22), batch.bytes[i]);
    EXPECT_EQ(boot_ms + get_be32(r + 30), batch.timestamp_ns[i] / 1000000);
    EXPECT_EQ(boot_ms + get_be32(r + 34), (batch.timestamp_ns[i] + batch.duration_ns[i]) / 1000000);
    EXPECT_LE(get_be32(r + 34), get_be32(&p[4])) << "flow ends before its export";
    EXPECT_EQ(r[38], batch.direction[i]);
  }
}

TEST(Netflow9, Ipv6RecordsGoInTheirOwnFlowset) {
  Batch batch = ipv4_batch(4);
  make_ipv6(batch, 2);
  const Packet p = packets_of(encode_v9(EncoderParams{}, {batch}))[0];
  const auto sets = sets_of(p, kHeader);
  ASSERT_EQ(sets.size(), 3u);  // templates, v4 x3, v6 x1: one flowset per template
  EXPECT_EQ(sets[1].id, 256);
  EXPECT_EQ(sets[1].length, 4u + 3 * 39 + 3) << "padded to 4 bytes";
  EXPECT_EQ(get_be32(&p[sets[1].offset + 4 + 2 * 39]), batch.src_ip4[3]);
  EXPECT_EQ(sets[2].id, 257);
  EXPECT_EQ(sets[2].length, 4u + 63 + 1);
  const uint8_t* r = &p[sets[2].offset + 4];
  EXPECT_EQ(r[0], 0x20);
  EXPECT_EQ(r[15], 2);
  EXPECT_EQ(r[31], 0xff);
  EXPECT_EQ(r[32 + 4], 17);
  EXPECT_EQ(get_be16(&p[2]), 2 + 4);
}

TEST(Netflow9, PacketsFitTheMtuAndSequenceCountsPackets) {
  EncoderParams params;
  params.mtu = 576;
  const Batch batch = ipv4_batch(1000);
  const auto packets = packets_of(encode_v9(params, {batch}));
  uint32_t total = 0;
  for (size_t k = 0; k < packets.size(); ++k) {
    EXPECT_LE(packets[k].size() + 28, 576u);
    EXPECT_EQ(packets[k].size() % 4, 0u);
    EXPECT_EQ(get_be32(&packets[k][12]), k);
    const uint32_t n = data_records(packets[k]);
    EXPECT_EQ(get_be16(&packets[k][2]), n + (has_templates(packets[k]) ? 2 : 0));
    total += n;
  }
  EXPECT_EQ(total, 1000u);
  params.mtu = 150;
  auto encoder = make_netflow9_encoder();
  EXPECT_THROW(encoder->begin(params), Error);
}

TEST(Netflow9, TemplatesAreResentEveryNPackets) {
  EncoderParams params;
  params.template_packets = 3;
  params.template_seconds = 0;
  const auto packets = packets_of(encode_v9(params, {ipv4_batch(400)}));
  ASSERT_GE(packets.size(), 10u);
  for (size_t k = 0; k < packets.size(); ++k)
    EXPECT_EQ(has_templates(packets[k]), k % 3 == 0) << "packet " << k;
}

TEST(Netflow9, TemplatesAreResentEveryTSecondsOfExportTime) {
  EncoderParams params;
  params.template_packets = 0;
  params.template_seconds = 10;
  params.mtu = 300;  // a template-less packet holds 6 records: 6 s of export time
  // One record per second, over 120 s.
  const auto packets = packets_of(encode_v9(params, {ipv4_batch(120, kStartNs, 1000000000ULL)}));
  uint32_t last = 0;
  int sends = 0;
  for (const auto& p : packets) {
    const uint32_t seconds = get_be32(&p[8]);
    if (!has_templates(p)) continue;
    if (sends++ > 0) {
      EXPECT_GE(seconds - last, 10u);
      EXPECT_LE(seconds - last, 10u + 6);
    }
    last = seconds;
  }
  EXPECT_GE(sends, 8);
  EXPECT_LE(sends, 12);
}

TEST(Netflow9, LongRunsStartANewEpochWithTemplates) {
  Batch batch = ipv4_batch(3);
  batch.timestamp_ns[2] = kStartNs + 60ULL * 86400 * 1000000000ULL;
  EncoderParams params;
  params.template_seconds = 0;
  const auto packets = packets_of(encode_v9(params, {batch}));
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_TRUE(has_templates(packets[1]));
  EXPECT_EQ(get_be32(&packets[1][12]), 1u);
  EXPECT_LT(get_be32(&packets[1][4]), 10000u);
}

TEST(Netflow9, RestoredStateContinuesTheSameBytes) {
  Batch batch = ipv4_batch(300);
  for (uint32_t i = 0; i < 300; i += 7) make_ipv6(batch, i);
  EncoderParams params;
  params.template_packets = 4;
  const OutputBuffer whole = encode_v9(params, {slice(batch, 0, 133), slice(batch, 133, 167)});
  auto first = make_netflow9_encoder();
  first->begin(params);
  OutputBuffer out;
  first->encode(slice(batch, 0, 133), out);
  const auto state = first->save_state();
  auto second = make_netflow9_encoder();
  second->begin(params);
  second->restore_state(state.data(), state.size());
  second->encode(slice(batch, 133, 167), out);
  second->finish(out);
  EXPECT_EQ(out.bytes, whole.bytes);
}

TEST(Netflow9, ExportersWithDistinctSourceIds) {
  const Batch batch = ipv4_batch(10);
  EncoderParams a, b;
  a.domain_id = 11;
  b.domain_id = 12;
  const Packet pa = packets_of(encode_v9(a, {batch}))[0];
  const Packet pb = packets_of(encode_v9(b, {batch}))[0];
  EXPECT_EQ(get_be32(&pa[16]), 11u);
  EXPECT_EQ(get_be32(&pb[16]), 12u);
  EXPECT_TRUE(std::equal(pa.begin() + 20, pa.end(), pb.begin() + 20));
}

}  // namespace
}  // namespace flowgen::detail
