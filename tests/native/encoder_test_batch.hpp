// Batches filled by hand for encoder tests: the brief's example record and deterministic
// pseudo-random records covering IPv4/IPv6, every column and pattern names.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "batch.hpp"
#include "rng.hpp"

namespace flowgen::test {

using detail::Batch;

// The brief's CSV example: 1704067200.000000,192.168.1.45,10.5.23.100,54321,443,6,1200
inline void set_brief_record(Batch& b, uint32_t i) {
  b.timestamp_ns[i] = 1704067200ULL * 1000000000ULL;
  b.timestamp_s[i] = 1704067200.0;
  b.ip_version[i] = 4;
  b.src_ip4[i] = 192u << 24 | 168u << 16 | 1u << 8 | 45u;
  b.dst_ip4[i] = 10u << 24 | 5u << 16 | 23u << 8 | 100u;
  b.src_port[i] = 54321;
  b.dst_port[i] = 443;
  b.protocol[i] = 6;
  b.length[i] = 1200;
  b.packets[i] = 1;
  b.bytes[i] = 1200;
}

inline const std::vector<std::string>& test_pattern_names() {
  static const std::vector<std::string> names = {"web_traffic", "dns_traffic",
                                                 "odd, \"name\"\n"};
  return names;
}

// `count` records starting at record number `first` (so that consecutive calls give one
// long deterministic stream); every 5th record is IPv6.
inline Batch random_batch(uint32_t count, uint64_t first = 0) {
  Batch b(count);
  b.size = count;
  b.pattern_names = &test_pattern_names();
  for (uint32_t i = 0; i < count; ++i) {
    const uint64_t n = first + i;
    detail::Rng rng(42, n);
    b.timestamp_ns[i] = 1704067200ULL * 1000000000ULL + n * 640 + rng.below(1000);
    b.timestamp_s[i] = static_cast<double>(b.timestamp_ns[i]) / 1e9;
    b.duration_ns[i] = rng.below(3) == 0 ? 0 : rng.next() % 5000000000ULL;
    const bool v6 = n % 5 == 4;
    b.ip_version[i] = v6 ? 6 : 4;
    if (v6) {
      for (int k = 0; k < 16; ++k) {
        // Mostly zero bytes so that "::" runs of every length appear.
        b.src_ip6[16 * i + k] = rng.below(3) == 0 ? static_cast<uint8_t>(rng.next()) : 0;
        b.dst_ip6[16 * i + k] = rng.below(3) == 0 ? static_cast<uint8_t>(rng.next()) : 0;
      }
      b.src_ip6[16 * i] = 0x20;
      b.src_ip6[16 * i + 1] = 0x01;
    } else {
      b.src_ip4[i] = static_cast<uint32_t>(rng.next());
      b.dst_ip4[i] = static_cast<uint32_t>(rng.next());
    }
    b.src_port[i] = static_cast<uint16_t>(rng.next());
    b.dst_port[i] = static_cast<uint16_t>(rng.below(3) == 0 ? 443 : rng.next());
    b.protocol[i] = static_cast<uint8_t>(rng.below(2) ? 6 : 17);
    b.tcp_flags[i] = static_cast<uint8_t>(rng.below(64));
    b.length[i] = static_cast<uint16_t>(64 + rng.below(1437));
    b.packets[i] = 1 + rng.below(100000);
    b.bytes[i] = rng.next() >> rng.below(64);
    b.flow_id[i] = rng.next() >> rng.below(64);
    b.direction[i] = static_cast<uint8_t>(rng.below(2));
    b.pattern[i] = static_cast<uint8_t>(rng.below(4));  // 3 has no name: written as "3"
  }
  return b;
}

template <class Bytes>  // std::vector<uint8_t> or ByteBuffer
inline std::string as_string(const Bytes& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace flowgen::test
