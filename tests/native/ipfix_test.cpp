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

// Requests 0..n-1 (flow id = i, direction 0, 1 ms apart) and, `rtt_ns` after each
// request, its response with swapped endpoints (direction 1), merged in start order.
Batch request_response_batch(uint32_t n, uint64_t rtt_ns) {
  const Batch req = ipv4_batch(n);
  Batch b(2 * n);
  b.size = 2 * n;
  uint32_t next_req = 0, next_resp = 0;
  for (uint32_t k = 0; k < 2 * n; ++k) {
    const bool response = next_req == n || (next_resp < next_req &&
                                             req.timestamp_ns[next_resp] + rtt_ns <
                                                 req.timestamp_ns[next_req]);
    const uint32_t i = response ? next_resp++ : next_req++;
    b.timestamp_ns[k] = req.timestamp_ns[i] + (response ? rtt_ns : 0);
    b.duration_ns[k] = req.duration_ns[i];
    b.ip_version[k] = 4;
    b.src_ip4[k] = response ? req.dst_ip4[i] : req.src_ip4[i];
    b.dst_ip4[k] = response ? req.src_ip4[i] : req.dst_ip4[i];
    b.src_port[k] = response ? req.dst_port[i] : req.src_port[i];
    b.dst_port[k] = response ? req.src_port[i] : req.dst_port[i];
    b.protocol[k] = 6;
    b.tcp_flags[k] = response ? 0x12 : 0x02;
    b.packets[k] = response ? 100 + i : 1 + i;
    b.bytes[k] = response ? 9000 + i : 60 + i;
    b.flow_id[k] = i;
    b.direction[k] = response ? 1 : 0;
  }
  return b;
}

constexpr size_t kBiflow4 = 82;  // bytes of an IPv4 biflow record

// Pointers into `packets`, which must outlive them.
std::vector<const uint8_t*> biflow_records(const std::vector<Packet>& packets) {
  std::vector<const uint8_t*> records;
  for (const Packet& p : packets)
    for (const Set& s : sets_of(p, kHeader))
      if (s.id == 256)
        for (size_t at = s.offset + 4; at + kBiflow4 <= s.offset + s.length; at += kBiflow4)
          records.push_back(&p[at]);
  return records;
}

TEST(IpfixBiflow, TemplateCarriesReverseElementsOfPen29305) {
  EncoderParams params;
  params.ipfix_biflow = 1;
  const auto packets = packets_of(encode_ipfix(params, {request_response_batch(1, 5000000)}));
  const uint8_t* t = &packets[0][sets_of(packets[0], kHeader)[0].offset + 4];
  EXPECT_EQ(get_be16(t), 256);
  ASSERT_EQ(get_be16(t + 2), 16);
  const uint8_t* f = t + 4 + 5 * 4;  // after the flow key, before the forward fields
  const uint16_t reverse[5][2] = {{6, 2}, {2, 8}, {1, 8}, {152, 8}, {153, 8}};
  for (const auto& e : reverse) {
    EXPECT_EQ(get_be16(f), 0x8000 | e[0]);
    EXPECT_EQ(get_be16(f + 2), e[1]);
    EXPECT_EQ(get_be32(f + 4), 29305u);
    f += 8;
  }
  for (const auto& e : reverse) {
    EXPECT_EQ(get_be16(f), e[0]);
    f += 4;
  }
  EXPECT_EQ(get_be16(f), 239) << "biflowDirection";
}

TEST(IpfixBiflow, RequestAndResponseInLaterBatchesBecomeOneRecord) {
  const Batch all = request_response_batch(40, 7000000);  // RTT 7 ms, 1 request per ms
  EncoderParams params;
  params.ipfix_biflow = 1;
  const OutputBuffer whole = encode_ipfix(params, {all});
  const OutputBuffer split =
      encode_ipfix(params, {slice(all, 0, 5), slice(all, 5, 30), slice(all, 35, 45)});
  EXPECT_EQ(whole.bytes, split.bytes) << "pairing does not depend on batch boundaries";
  const auto packets = packets_of(whole);
  const auto records = biflow_records(packets);
  ASSERT_EQ(records.size(), 40u);
  for (uint32_t i = 0; i < 40; ++i) {
    const uint8_t* r = records[i];
    EXPECT_EQ(get_be32(r), 0x0a000001 + i) << "the request's source";
    EXPECT_EQ(get_be16(r + 13), 0x12) << "reverseTcpControlBits";
    EXPECT_EQ(get_be64(r + 15), 100 + i) << "reversePacketDeltaCount";
    EXPECT_EQ(get_be64(r + 23), 9000 + i) << "reverseOctetDeltaCount";
    EXPECT_EQ(get_be64(r + 31), get_be64(r + 65) + 7) << "reverseFlowStart = start + RTT";
    EXPECT_EQ(get_be16(r + 47), 0x02);
    EXPECT_EQ(get_be64(r + 49), 1 + i);
    EXPECT_EQ(get_be64(r + 57), 60 + i);
    EXPECT_EQ(r[81], 1) << "the source initiated";
  }
}

TEST(IpfixBiflow, UnpairedHalvesLeaveAloneAfterTheWindow) {
  // A request, then a record 61 s later: the request cannot be answered any more.
  Batch b = request_response_batch(2, 500000);  // request 0, response 0, request 1, ...
  b.timestamp_ns[2] += 61ULL * 1000000000ULL;  // request 1
  b.timestamp_ns[3] += 61ULL * 1000000000ULL;  // its response
  b.flow_id[1] = 99;                           // the response of request 0, unmatched now
  EncoderParams params;
  params.ipfix_biflow = 1;
  const auto packets = packets_of(encode_ipfix(params, {b}));
  const auto records = biflow_records(packets);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(get_be32(records[0]), 0xc0a80101u) << "a response alone: its source responds";
  EXPECT_EQ(records[0][81], 2) << "reverseInitiator";
  EXPECT_EQ(get_be32(records[1]), 0x0a000001u) << "request 0, expired";
  EXPECT_EQ(get_be64(records[1] + 15), 0u) << "no reverse packets";
  EXPECT_EQ(get_be64(records[1] + 31), 0u);
  EXPECT_EQ(get_be64(records[1] + 49), 1u) << "its own packets";
  EXPECT_EQ(get_be64(records[2] + 15), 101u) << "request 1 paired";
}

TEST(IpfixBiflow, CheckpointKeepsThePendingRequests) {
  const Batch all = request_response_batch(30, 10000000);
  EncoderParams params;
  params.ipfix_biflow = 1;
  params.ipfix_nanoseconds = 1;
  const OutputBuffer whole = encode_ipfix(params, {all});
  auto first = make_ipfix_encoder();
  first->begin(params);
  OutputBuffer out;
  first->encode(slice(all, 0, 25), out);  // requests waiting for their responses
  const auto state = first->save_state();
  auto second = make_ipfix_encoder();
  second->begin(params);
  second->restore_state(state.data(), state.size());
  second->encode(slice(all, 25, 35), out);
  second->finish(out);
  EXPECT_EQ(out.bytes, whole.bytes);
}

TEST(Ipfix, MixedFamiliesShareOneSetPerTemplateInAPacket) {
  Batch batch = ipv4_batch(20);
  for (uint32_t i = 1; i < 20; i += 2) make_ipv6(batch, i);
  const auto packets = packets_of(encode_ipfix(EncoderParams{}, {batch}));
  ASSERT_EQ(packets.size(), 1u);
  const auto sets = sets_of(packets[0], kHeader);
  ASSERT_EQ(sets.size(), 3u);
  EXPECT_EQ(sets[1].id, 256);
  EXPECT_EQ(sets[1].length, 4u + 10 * 48);
  EXPECT_EQ(sets[2].id, 257);
  EXPECT_EQ(sets[2].length, 4u + 10 * 72);
  EXPECT_EQ(get_be16(&packets[0][2]), packets[0].size());
  EXPECT_EQ(packets[0][sets[2].offset + 4 + 15], 1) << "the first IPv6 record is record 1";
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
