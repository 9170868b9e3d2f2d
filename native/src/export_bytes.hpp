// Byte writers for export formats. NetFlow and IPFIX are big-endian (network order) on
// every platform; pcap/pcapng files are written little-endian so that the same seed gives
// the same file bytes everywhere.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace flowgen::detail {

// On little-endian GCC/Clang targets a byte swap and one unaligned store each (the byte-by-byte form made
// GCC assemble 16-byte stores through the stack, a store-forwarding stall per record).
#if (defined(__GNUC__) || defined(__clang__)) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
inline void put_be16(uint8_t* p, uint32_t v) noexcept {
  const uint16_t x = __builtin_bswap16(static_cast<uint16_t>(v));
  std::memcpy(p, &x, 2);
}
inline void put_be32(uint8_t* p, uint32_t v) noexcept {
  const uint32_t x = __builtin_bswap32(v);
  std::memcpy(p, &x, 4);
}
inline void put_be64(uint8_t* p, uint64_t v) noexcept {
  const uint64_t x = __builtin_bswap64(v);
  std::memcpy(p, &x, 8);
}
#else
inline void put_be16(uint8_t* p, uint32_t v) noexcept {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void put_be32(uint8_t* p, uint32_t v) noexcept {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
inline void put_be64(uint8_t* p, uint64_t v) noexcept {
  put_be32(p, static_cast<uint32_t>(v >> 32));
  put_be32(p + 4, static_cast<uint32_t>(v));
}
#endif
inline void put_le16(uint8_t* p, uint32_t v) noexcept {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
inline void put_le32(uint8_t* p, uint32_t v) noexcept {
  put_le16(p, v & 0xffffu);
  put_le16(p + 2, v >> 16);
}

inline uint16_t get_be16(const uint8_t* p) noexcept {
  return static_cast<uint16_t>((p[0] << 8) | p[1]);
}
inline uint32_t get_be32(const uint8_t* p) noexcept {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}
inline uint64_t get_be64(const uint8_t* p) noexcept {
  return (uint64_t(get_be32(p)) << 32) | get_be32(p + 4);
}

// Appends little-endian fields to a byte vector (container headers, state blobs).
template <class Bytes>
class BasicLeWriter {
 public:
  explicit BasicLeWriter(Bytes& out) : out_(out) {}
  void u8(uint32_t v) { out_.push_back(static_cast<uint8_t>(v)); }
  void u16(uint32_t v) {
    uint8_t b[2];
    put_le16(b, v);
    bytes(b, 2);
  }
  void u32(uint32_t v) {
    uint8_t b[4];
    put_le32(b, v);
    bytes(b, 4);
  }
  void u64(uint64_t v) {
    u32(static_cast<uint32_t>(v));
    u32(static_cast<uint32_t>(v >> 32));
  }
  void bytes(const void* data, size_t n) {
    const auto* p = static_cast<const uint8_t*>(data);
    out_.insert(out_.end(), p, p + n);
  }

 private:
  Bytes& out_;
};
using LeWriter = BasicLeWriter<std::vector<uint8_t>>;

}  // namespace flowgen::detail
