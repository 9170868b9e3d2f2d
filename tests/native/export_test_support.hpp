// Helpers for the export encoder tests: deterministic batches filled by hand (no
// generator needed) and a way to cut an encoder's output into its packets.
#pragma once

#include <cstdint>
#include <vector>

#include "batch.hpp"
#include "encoder.hpp"
#include "export_bytes.hpp"

namespace flowgen::detail::test {

constexpr uint64_t kStartNs = 1704067200123456789ULL;  // 2024-01-01T00:00:00.123456789Z

// `n` IPv4 TCP records, one every `step_ns`, record i with distinct, checkable values.
inline Batch ipv4_batch(uint32_t n, uint64_t start_ns = kStartNs, uint64_t step_ns = 1000000) {
  Batch b(n);
  b.size = n;
  for (uint32_t i = 0; i < n; ++i) {
    b.timestamp_ns[i] = start_ns + i * step_ns;
    b.duration_ns[i] = 2500000ULL * (i % 4);  // 0, 2.5, 5, 7.5 ms
    b.ip_version[i] = 4;
    b.src_ip4[i] = 0x0a000001 + i;  // 10.0.0.1 + i
    b.dst_ip4[i] = 0xc0a80101;      // 192.168.1.1
    b.src_port[i] = static_cast<uint16_t>(40000 + i);
    b.dst_port[i] = 443;
    b.protocol[i] = 6;
    b.tcp_flags[i] = 0x1b;
    b.length[i] = 800;
    b.packets[i] = 1 + i;
    b.bytes[i] = 800ULL * (1 + i);
    b.flow_id[i] = i;
    b.direction[i] = static_cast<uint8_t>(i % 2);
  }
  return b;
}

// Turns record i of `b` into an IPv6 UDP record (2001:db8::i -> 2001:db8::ff).
inline void make_ipv6(Batch& b, uint32_t i) {
  b.ip_version[i] = 6;
  b.src_ip4[i] = b.dst_ip4[i] = 0;
  uint8_t* s = &b.src_ip6[size_t(i) * 16];
  uint8_t* d = &b.dst_ip6[size_t(i) * 16];
  for (int k = 0; k < 16; ++k) s[k] = d[k] = 0;
  s[0] = d[0] = 0x20;
  s[1] = d[1] = 0x01;
  s[2] = d[2] = 0x0d;
  s[3] = d[3] = 0xb8;
  s[15] = static_cast<uint8_t>(i);
  d[15] = 0xff;
  b.protocol[i] = 17;
  b.tcp_flags[i] = 0;
}

// The first `n` records of `b` as a batch of their own.
inline Batch slice(const Batch& b, uint32_t from, uint32_t n) {
  Batch s(n);
  s.size = n;
  for (uint32_t k = 0; k < n; ++k) {
    const uint32_t i = from + k;
    s.timestamp_ns[k] = b.timestamp_ns[i];
    s.duration_ns[k] = b.duration_ns[i];
    s.ip_version[k] = b.ip_version[i];
    s.src_ip4[k] = b.src_ip4[i];
    s.dst_ip4[k] = b.dst_ip4[i];
    for (int j = 0; j < 16; ++j) {
      s.src_ip6[size_t(k) * 16 + j] = b.src_ip6[size_t(i) * 16 + j];
      s.dst_ip6[size_t(k) * 16 + j] = b.dst_ip6[size_t(i) * 16 + j];
    }
    s.src_port[k] = b.src_port[i];
    s.dst_port[k] = b.dst_port[i];
    s.protocol[k] = b.protocol[i];
    s.tcp_flags[k] = b.tcp_flags[i];
    s.length[k] = b.length[i];
    s.packets[k] = b.packets[i];
    s.bytes[k] = b.bytes[i];
    s.flow_id[k] = b.flow_id[i];
    s.direction[k] = b.direction[i];
  }
  return s;
}

using Packet = std::vector<uint8_t>;

inline std::vector<Packet> packets_of(const OutputBuffer& out) {
  std::vector<Packet> packets;
  uint32_t begin = 0;
  for (uint32_t end : out.packet_ends) {
    packets.emplace_back(out.bytes.begin() + begin, out.bytes.begin() + end);
    begin = end;
  }
  return packets;
}

// Encodes `batches` with a fresh encoder and finishes it.
template <typename Make>
OutputBuffer encode_all(Make make, const EncoderParams& params, const std::vector<Batch>& batches) {
  auto encoder = make();
  encoder->begin(params);
  OutputBuffer out;
  for (const auto& b : batches) encoder->encode(b, out);
  encoder->finish(out);
  return out;
}

// A v9 flowset / IPFIX set inside a packet.
struct Set {
  uint16_t id;
  size_t offset;  // of the set header within the packet
  size_t length;
};

inline std::vector<Set> sets_of(const Packet& p, size_t header_bytes) {
  std::vector<Set> sets;
  for (size_t at = header_bytes; at + 4 <= p.size();) {
    const Set s{get_be16(&p[at]), at, get_be16(&p[at + 2])};
    if (s.length < 4) break;
    sets.push_back(s);
    at += s.length;
  }
  return sets;
}

}  // namespace flowgen::detail::test
