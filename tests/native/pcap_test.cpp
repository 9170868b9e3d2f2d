// pcap/pcapng containers: file headers, one Ethernet/IPv4/UDP frame per export packet
// with a valid IPv4 checksum, loopback addresses, configured ports and export times.
#include <gtest/gtest.h>

#include "abi_guard.hpp"
#include "export_test_support.hpp"

namespace flowgen::detail {
namespace {

using namespace test;

uint32_t le32(const uint8_t* p) {
  return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}

// One's complement sum over an IPv4 header including its checksum: 0xffff when valid.
uint16_t checksum_sum(const uint8_t* ip) {
  uint32_t sum = 0;
  for (int i = 0; i < 20; i += 2) sum += get_be16(ip + i);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

void expect_frame(const uint8_t* f, const Packet& payload, uint16_t sport, uint16_t dport) {
  EXPECT_EQ(get_be16(f + 12), 0x0800);
  const uint8_t* ip = f + 14;
  EXPECT_EQ(ip[0], 0x45);
  EXPECT_EQ(get_be16(ip + 2), 28 + payload.size());
  EXPECT_EQ(ip[9], 17);
  EXPECT_EQ(checksum_sum(ip), 0xffff);
  EXPECT_EQ(get_be32(ip + 12), 0x7f000001u);
  EXPECT_EQ(get_be32(ip + 16), 0x7f000001u);
  EXPECT_EQ(get_be16(ip + 20), sport);
  EXPECT_EQ(get_be16(ip + 22), dport);
  EXPECT_EQ(get_be16(ip + 24), 8 + payload.size());
  EXPECT_TRUE(std::equal(payload.begin(), payload.end(), ip + 28));
}

OutputBuffer contained(const EncoderParams& params, const Batch& batch) {
  auto encoder = wrap_in_container(make_netflow5_encoder(), params);
  encoder->begin(params);
  OutputBuffer out;
  encoder->encode(batch, out);
  encoder->finish(out);
  return out;
}

TEST(Pcap, EachExportPacketIsAUdpFrame) {
  const Batch batch = ipv4_batch(70);
  const auto raw = packets_of(encode_all(make_netflow5_encoder, EncoderParams{}, {batch}));
  EncoderParams params;
  params.container = FLOWGEN_CONTAINER_PCAP;
  params.source_port = 40001;
  params.destination_port = 9995;
  const ByteBuffer file = contained(params, batch).bytes;
  ASSERT_GE(file.size(), 24u);
  EXPECT_EQ(le32(&file[0]), 0xa1b2c3d4u);
  EXPECT_EQ(le32(&file[20]), 1u);  // Ethernet
  size_t at = 24;
  for (const auto& payload : raw) {
    ASSERT_LE(at + 16, file.size());
    const uint32_t seconds = le32(&file[at]);
    const uint32_t micros = le32(&file[at + 4]);
    // Stamped with the export time that the v5 header gives to the millisecond.
    const uint64_t export_us = uint64_t(seconds) * 1000000 + micros;
    const uint64_t header_us =
        uint64_t(get_be32(&payload[8])) * 1000000 + get_be32(&payload[12]) / 1000;
    EXPECT_GE(header_us, export_us);
    EXPECT_LT(header_us - export_us, 1000u);
    EXPECT_EQ(le32(&file[at + 8]), 42 + payload.size());
    EXPECT_EQ(le32(&file[at + 12]), 42 + payload.size());
    expect_frame(&file[at + 16], payload, 40001, 9995);
    at += 16 + 42 + payload.size();
  }
  EXPECT_EQ(at, file.size());
}

TEST(Pcap, PcapngBlocksAreWellFormed) {
  const Batch batch = ipv4_batch(70);
  const auto raw = packets_of(encode_all(make_netflow5_encoder, EncoderParams{}, {batch}));
  EncoderParams params;
  params.container = FLOWGEN_CONTAINER_PCAPNG;
  const ByteBuffer file = contained(params, batch).bytes;
  ASSERT_GE(file.size(), 60u);
  EXPECT_EQ(le32(&file[0]), 0x0A0D0D0Au);
  EXPECT_EQ(le32(&file[8]), 0x1A2B3C4Du);
  EXPECT_EQ(le32(&file[28]), 1u);
  size_t at = 28 + le32(&file[32]);
  for (const auto& payload : raw) {
    ASSERT_LE(at + 28, file.size());
    const uint32_t length = le32(&file[at + 4]);
    EXPECT_EQ(le32(&file[at]), 6u);
    EXPECT_EQ(length % 4, 0u);
    EXPECT_EQ(le32(&file[at + length - 4]), length);
    EXPECT_EQ(le32(&file[at + 20]), 42 + payload.size());
    const uint64_t ns = (uint64_t(le32(&file[at + 12])) << 32) | le32(&file[at + 16]);
    EXPECT_GE(ns, kStartNs);
    expect_frame(&file[at + 28], payload, 2055, 2055);
    at += length;
  }
  EXPECT_EQ(at, file.size());
}

TEST(Pcap, ContainerStateResumesTheSameFile) {
  const Batch batch = ipv4_batch(100);
  EncoderParams params;
  params.container = FLOWGEN_CONTAINER_PCAPNG;
  const ByteBuffer whole = contained(params, batch).bytes;
  auto first = wrap_in_container(make_ipfix_encoder(), params);
  first->begin(params);
  OutputBuffer out;
  first->encode(slice(batch, 0, 50), out);
  const auto state = first->save_state();
  auto second = wrap_in_container(make_ipfix_encoder(), params);
  second->begin(params);
  second->restore_state(state.data(), state.size());
  second->encode(slice(batch, 50, 50), out);
  second->finish(out);
  auto straight = wrap_in_container(make_ipfix_encoder(), params);
  straight->begin(params);
  OutputBuffer expected;
  straight->encode(batch, expected);
  straight->finish(expected);
  EXPECT_EQ(out.bytes, expected.bytes);
  EXPECT_NE(whole, expected.bytes);  // v5 and IPFIX differ, of course
}

TEST(Pcap, RefusesBadParameters) {
  EncoderParams params;
  params.container = 7;
  EXPECT_THROW(wrap_in_container(make_netflow5_encoder(), params), Error);
  params.container = FLOWGEN_CONTAINER_PCAP;
  params.destination_port = 0;
  auto encoder = wrap_in_container(make_netflow5_encoder(), params);
  EXPECT_THROW(encoder->begin(params), Error);
}

}  // namespace
}  // namespace flowgen::detail
