// encoder_state: a tiny little-endian reader/writer for Encoder::save_state blobs, so that
// every encoder's state has the same shape: a version byte, then fixed-size fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "abi_guard.hpp"

namespace flowgen::detail {

class StateWriter {
 public:
  explicit StateWriter(uint8_t version) { bytes_.push_back(version); }
  StateWriter& u8(uint8_t v) {
    bytes_.push_back(v);
    return *this;
  }
  StateWriter& u64(uint64_t v) {
    for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return *this;
  }
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  std::vector<uint8_t> bytes_;
};

// Reads a state blob of one encoder; throws Error(FLOWGEN_ERR_CHECKPOINT) naming `what`
// (the encoder) for a wrong version or size.
class StateReader {
 public:
  StateReader(const uint8_t* data, size_t size, const char* what, uint8_t version,
              size_t payload_size)
      : data_(data) {
    if (size == 0 || data == nullptr || data[0] != version || size != 1 + payload_size) {
      throw Error(FLOWGEN_ERR_CHECKPOINT,
                  std::string(what) + " state: " + std::to_string(size) +
                      " bytes of version " + std::to_string(size ? data[0] : 0) +
                      ", expected " + std::to_string(1 + payload_size) + " bytes of version " +
                      std::to_string(version));
    }
    pos_ = 1;
  }
  uint8_t u8() { return data_[pos_++]; }
  uint64_t u64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t(data_[pos_++]) << (8 * i);
    return v;
  }

 private:
  const uint8_t* data_;
  size_t pos_ = 0;
};

}  // namespace flowgen::detail
