// Checkpoint blobs: a tiny byte writer/reader (little-endian, bounds-checked) and the
// envelope every blob shares, so generator and encoder states are sealed the same way:
//
//   magic[4] | format version u32 | fingerprint u64 | payload size u32 | payload | checksum u64
//
// The checksum (FNV-1a 64 of everything before it) catches truncation and corruption; the
// fingerprint ties a blob to the config (or encoder settings) that produced it.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "abi_guard.hpp"

namespace flowgen::detail {

class ByteWriter {
 public:
  void u8(uint8_t v) { bytes_.push_back(v); }
  void u16(uint16_t v) { put(v, 2); }
  void u32(uint32_t v) { put(v, 4); }
  void u64(uint64_t v) { put(v, 8); }
  void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
  void f64(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    u64(bits);
  }
  void raw(const void* data, size_t n) {
    const auto* p = static_cast<const uint8_t*>(data);
    bytes_.insert(bytes_.end(), p, p + n);
  }
  void str(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    raw(s.data(), s.size());
  }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  void put(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t> bytes_;
};

// Reads what ByteWriter wrote; any read past the end throws FLOWGEN_ERR_CHECKPOINT.
class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  uint8_t u8() { return static_cast<uint8_t>(get(1)); }
  uint16_t u16() { return static_cast<uint16_t>(get(2)); }
  uint32_t u32() { return static_cast<uint32_t>(get(4)); }
  uint64_t u64() { return get(8); }
  int32_t i32() { return static_cast<int32_t>(u32()); }
  double f64() {
    const uint64_t bits = u64();
    double v;
    std::memcpy(&v, &bits, 8);
    return v;
  }
  void raw(void* out, size_t n) {
    need(n);
    if (n == 0) return;  // `out` may be an empty vector's null data(): memcpy forbids it
    std::memcpy(out, p_, n);
    p_ += n;
  }
  std::string str() {
    const uint32_t n = u32();
    need(n);
    std::string s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }
  size_t remaining() const { return size_t(end_ - p_); }
  // Throws unless every byte was read (a longer blob is another format).
  void expect_end() const {
    if (p_ != end_) throw Error(FLOWGEN_ERR_CHECKPOINT, "checkpoint: trailing bytes in state");
  }

 private:
  void need(size_t n) const {
    if (size_t(end_ - p_) < n) throw Error(FLOWGEN_ERR_CHECKPOINT, "checkpoint: state truncated");
  }
  uint64_t get(int n) {
    need(size_t(n));
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= uint64_t(p_[i]) << (8 * i);
    p_ += n;
    return v;
  }
  const uint8_t* p_;
  const uint8_t* end_;
};

uint64_t fnv1a64(const uint8_t* data, size_t size, uint64_t hash = 0xcbf29ce484222325ULL);

// Wraps `payload` in the envelope.
std::vector<uint8_t> seal_blob(const char magic[4], uint32_t version, uint64_t fingerprint,
                               const std::vector<uint8_t>& payload);

// Checks the envelope and returns the payload's location inside `blob`. Throws
// Error(FLOWGEN_ERR_CHECKPOINT) with a message saying what is wrong (`what` names the
// kind of blob, e.g. "generator checkpoint").
struct BlobPayload {
  const uint8_t* data;
  size_t size;
};
BlobPayload open_blob(const char* what, const char magic[4], uint32_t version,
                      uint64_t fingerprint, const uint8_t* blob, size_t size);

}  // namespace flowgen::detail
