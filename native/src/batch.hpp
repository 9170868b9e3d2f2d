// Batch: the struct-of-arrays columns one next_batch call fills, shared by the generator
// (writer) and the encoders (readers). Column meanings are documented in flowgen.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace flowgen::detail {

// Which columns a fill writes. `lean` leaves out those that only some readers use
// (timestamp_s, bytes, flow_id, tcp_flags, pattern): flowgen_encoder_encode_next asks for it
// when its encoder reads none of them, and the packet fast path then skips their work.
// Other paths write every column either way.
enum class ColumnSet : uint8_t { all, lean };

struct Batch {
  uint32_t capacity = 0;
  uint32_t size = 0;
  std::vector<uint64_t> timestamp_ns;
  std::vector<double> timestamp_s;
  std::vector<uint64_t> duration_ns;
  std::vector<uint8_t> ip_version;
  std::vector<uint32_t> src_ip4;  // host byte order
  std::vector<uint32_t> dst_ip4;
  std::vector<uint8_t> src_ip6;   // 16 bytes per record, network order
  std::vector<uint8_t> dst_ip6;
  std::vector<uint16_t> src_port;
  std::vector<uint16_t> dst_port;
  std::vector<uint8_t> protocol;
  std::vector<uint8_t> tcp_flags;
  std::vector<uint16_t> length;
  std::vector<uint32_t> packets;
  std::vector<uint64_t> bytes;
  std::vector<uint64_t> flow_id;
  std::vector<uint8_t> direction;
  std::vector<uint8_t> pattern;
  // Names of the patterns, indexed by `pattern` (owned by the generator's config).
  const std::vector<std::string>* pattern_names = nullptr;

  explicit Batch(uint32_t cap = 0) { resize(cap); }

  void resize(uint32_t cap) {
    capacity = cap;
    size = 0;
    timestamp_ns.assign(cap, 0);
    timestamp_s.assign(cap, 0);
    duration_ns.assign(cap, 0);
    ip_version.assign(cap, 4);
    src_ip4.assign(cap, 0);
    dst_ip4.assign(cap, 0);
    src_ip6.assign(size_t(cap) * 16, 0);
    dst_ip6.assign(size_t(cap) * 16, 0);
    src_port.assign(cap, 0);
    dst_port.assign(cap, 0);
    protocol.assign(cap, 0);
    tcp_flags.assign(cap, 0);
    length.assign(cap, 0);
    packets.assign(cap, 0);
    bytes.assign(cap, 0);
    flow_id.assign(cap, 0);
    direction.assign(cap, 0);
    pattern.assign(cap, 0);
  }
};

}  // namespace flowgen::detail
