// Little-endian state blobs for the export encoders' save_state/restore_state. The reader
// throws a checkpoint error on a short or foreign blob instead of reading past its end.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "abi_guard.hpp"
#include "export_bytes.hpp"

namespace flowgen::detail {

class ExportStateWriter {
 public:
  explicit ExportStateWriter(uint32_t tag) : w_(blob_) { w_.u32(tag); }
  ExportStateWriter& u64(uint64_t v) {
    w_.u64(v);
    return *this;
  }
  ExportStateWriter& bytes(const uint8_t* data, size_t n) {
    w_.u64(n);
    w_.bytes(data, n);
    return *this;
  }
  std::vector<uint8_t> take() { return std::move(blob_); }

 private:
  std::vector<uint8_t> blob_;
  LeWriter w_;
};

class ExportStateReader {
 public:
  // `tag` names the encoder that wrote the blob; another tag is refused.
  ExportStateReader(const uint8_t* data, size_t size, uint32_t tag, const char* what)
      : p_(data), end_(data + size), what_(what) {
    if (u32() != tag) fail("it was written by another encoder");
  }
  uint64_t u64() {
    need(8);
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p_[i];
    p_ += 8;
    return v;
  }
  // Reads a length-prefixed byte string of at most `max` bytes into `dst`.
  size_t bytes(uint8_t* dst, size_t max) {
    const uint64_t n = u64();
    if (n > max) fail("a buffer in it is too long");
    need(static_cast<size_t>(n));
    if (n == 0) return 0;  // `dst` may be null for an empty buffer: memcpy forbids it
    std::memcpy(dst, p_, static_cast<size_t>(n));
    p_ += n;
    return static_cast<size_t>(n);
  }
  // Remaining bytes (a wrapped encoder's state).
  const uint8_t* rest() const { return p_; }
  size_t rest_size() const { return static_cast<size_t>(end_ - p_); }

  [[noreturn]] void fail(const char* why) {
    throw Error(FLOWGEN_ERR_CHECKPOINT,
                std::string("cannot restore the ") + what_ + " encoder state: " + why);
  }

 private:
  uint32_t u32() {
    need(4);
    const uint32_t v = uint32_t(p_[0]) | (uint32_t(p_[1]) << 8) | (uint32_t(p_[2]) << 16) |
                       (uint32_t(p_[3]) << 24);
    p_ += 4;
    return v;
  }
  void need(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) fail("it is truncated");
  }
  const uint8_t* p_;
  const uint8_t* end_;
  const char* what_;
};

}  // namespace flowgen::detail
