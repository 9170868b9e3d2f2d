// IPFIX encoder (RFC 7011): message header, template set, absolute millisecond and
// nanosecond times, 8-byte counters, sequence numbers and checkpoint/resume.
#include <gtest/gtest.h>

#include "abi_guard.hpp"
#include "export_test_support.hpp"

namespace flowgen::detail {
namespace {

using namespace test;

constexpr size_t kHeader = 16;

OutputBuffer encode_ipfix(const EncoderParams& params, const std::vector<Batch>& batches) {
  return encode_all(make_ipfix_encoder, params, batches);
}

uint32_t data_records(const Packet& p) {
  uint32_t n = 0;
  for (const Set& s : sets_of(p, kHeader))
    if (s.id >= 256) n += static_cast<uint32_t>((s.length - 4) / (s.id == 256 ? 48 : 72));
  return n;
}

TEST(Ipfix, MessageHeaderAndTemplates) {
  EncoderParams params;
  params.domain_id = 42;
  const auto packets = packets_of(encode_ipfix(params, {ipv4_batch(5)}));
  ASSERT_EQ(packets.size(), 1u);
  const Packet& p = packets[0];
  EXPECT_EQ(get_be16(&p[0]), 10);
  EXPECT_EQ(get_be16(&p[2]), p.size());
  EXPECT_EQ(get_be32(&p[4]), kStartNs / 1000000000ULL + 1) << "export time, rounded up";
  EXPECT_EQ(get_be32(&p[8]), 0u);
  EXPECT_EQ(get_be32(&p[12]), 42u);
  const auto sets = sets_of(p, kHeader);
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[0].id, 2);
  const uint8_t* t = &p[sets[0].offset + 4];
  EXPECT_EQ(get_be16(t), 256);
  ASSERT_EQ(get_be16(t + 2), 11);
  const uint16_t expected[11][2] = {{8, 4},  {12, 4}, {7, 2},   {11, 2},  {4, 1}, {6, 2},
                                    {2, 8},  {1, 8},  {152, 8}, {153, 8}, {61, 1}};
  for (int f = 0; f < 11; ++f) {
    EXPECT_EQ(get_be16(t + 4 + 4 * f), expected[f][0]) << "field " << f;
    EXPECT_EQ(get_be16(t + 6 + 4 * f), expected[f][1]) << "field " << f;
  }
  EXPECT_EQ(get_be16(t + 48), 257);
  EXPECT_EQ(get_be16(t + 52), 27);
  EXPECT_EQ(sets[1].id, 256);
  EXPECT_EQ(sets[1].length, 4u + 5 * 48);
}

TEST(Ipfix, DataRecordsCarryAbsoluteTimesAndWideCounters) {
  Batch batch = ipv4_batch(3);
  batch.bytes[1] = 1ULL << 40;
  make_ipv6(batch, 2);
  const Packet p = packets_of(encode_ipfix(EncoderParams{}, {batch}))[0];
  const auto sets = sets_of(p, kHeader);
  ASSERT_EQ(sets.size(), 3u);
  const uint8_t* r = &p[sets[1].offset + 4];
  for (uint32_t i = 0; i < 2; ++i, r += 48) {
    EXPECT_EQ(get_be32(r), batch.src_ip4[i]);
    EXPECT_EQ(get_be16(r + 8), batch.src_port[i]);
    EXPECT_EQ(r[12], 6);
    EXPECT_EQ(get_be16(r + 13), 0x1b);
    EXPECT_EQ(get_be64(r + 15), batch.packets[i]);
    EXPECT_EQ(get_be64(r + 23), batch.bytes[i]);
    EXPECT_EQ(get_be64(r + 31), batch.timestamp_ns[i] / 1000000);
    EXPECT_EQ(get_be64(r + 39), (batch.timestamp_ns[i] + batch.duration_ns[i]) / 1000000);
    EXPECT_EQ(r[47], batch.direction[i]);
  }
  EXPECT_EQ(sets[2].id, 257);
  EXPECT_EQ(sets[2].length, 4u + 72);
  const uint8_t* r6 = &p[sets[2].offset + 4];
  EXPECT_EQ(r6[15], 2);
  EXPECT_EQ(r6[31], 0xff);
  EXPECT_EQ(r6[36], 17);
  EXPECT_EQ(get_be64(r6 + 55), batch.timestamp_ns[2] / 1000000);
}

TEST(Ipfix, NanosecondTimesUseNtpFormat) {
  EncoderParams params;
  params.ipfix_nanoseconds = 1;
  const Batch batch = ipv4_batch(1);
  const Packet p = packets_of(encode_ipfix(params, {batch}))[0];
  const auto sets = sets_of(p, kHeader);
  EXPECT_EQ(get_be16(&p[sets[0].offset + 4 + 4 + 8 * 4]), 156);
  const uint64_t ntp = get_be64(&p[sets[1].offset + 4 + 31]);
  EXPECT_EQ(ntp >> 32, kStartNs / 1000000000ULL + 2208988800ULL);
  const double fraction = double(ntp & 0xffffffffu) / 4294967296.0;
  EXPECT_NEAR(fraction, 0.123456789, 1e-9);
}

TEST(Ipfix, SequenceCountsDataRecordsBeforeTheMessage) {
  EncoderParams params;
  params.mtu = 600;
  const auto packets = packets_of(encode_ipfix(params, {ipv4_batch(500)}));
  ASSERT_GT(packets.size(), 10u);
  uint32_t before = 0;
  for (const auto& p : packets) {
    EXPECT_LE(p.size() + 28, 600u);
    EXPECT_EQ(get_be16(&p[2]), p.size());
    EXPECT_EQ(get_be32(&p[8]), before);
    before += data_records(p);
  }
  EXPECT_EQ(before, 500u);
}

TEST(Ipfix, BiflowIsRefusedClearly) {
  EncoderParams params;
  params.ipfix_biflow = 1;
  auto encoder = make_ipfix_encoder();
  try {
    encoder->begin(params);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), FLOWGEN_ERR_UNSUPPORTED);
  }
}

TEST(Ipfix, RestoredStateContinuesTheSameBytes) {
  Batch batch = ipv4_batch(250);
  for (uint32_t i = 0; i < 250; i += 5) make_ipv6(batch, i);
  EncoderParams params;
  params.template_packets = 2;
  const OutputBuffer whole = encode_ipfix(params, {slice(batch, 0, 77), slice(batch, 77, 173)});
  auto first = make_ipfix_encoder();
  first->begin(params);
  OutputBuffer out;
  first->encode(slice(batch, 0, 77), out);
  const auto state = first->save_state();
  auto second = make_ipfix_encoder();
  second->begin(params);
  second->restore_state(state.data(), state.size());
  second->encode(slice(batch, 77, 173), out);
  second->finish(out);
  EXPECT_EQ(out.bytes, whole.bytes);
}

TEST(Ipfix, ObservationDomainsAreIndependentExporters) {
  const Batch batch = ipv4_batch(100);
  EncoderParams a, b;
  a.domain_id = 1;
  b.domain_id = 2;
  a.mtu = b.mtu = 1000;
  const auto pa = packets_of(encode_ipfix(a, {slice(batch, 0, 60)}));
  const auto pb = packets_of(encode_ipfix(b, {slice(batch, 60, 40)}));
  for (const auto& p : pa) EXPECT_EQ(get_be32(&p[12]), 1u);
  for (const auto& p : pb) EXPECT_EQ(get_be32(&p[12]), 2u);
  EXPECT_EQ(get_be32(&pb[0][8]), 0u);
  EXPECT_GT(get_be32(&pa.back()[8]), 0u);
}

}  // namespace
}  // namespace flowgen::detail
