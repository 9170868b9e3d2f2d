// PendingResponses: bidirectional responses generated together with their request but due
// later (request start + RTT). A bounded binary min-heap ordered by (timestamp, sequence),
// so that the generator can emit them interleaved with new requests in timestamp order;
// the sequence number breaks ties deterministically.
#pragma once

#include <cstdint>
#include <vector>

#include "checkpoint.hpp"

namespace flowgen::detail {

struct PendingRecord {
  uint64_t timestamp_ns = 0;
  uint64_t duration_ns = 0;
  uint64_t bytes = 0;
  uint64_t flow_id = 0;
  uint64_t sequence = 0;  // order of creation, for ties
  uint32_t src_ip4 = 0, dst_ip4 = 0;
  uint32_t packets = 1;
  uint16_t src_port = 0, dst_port = 0;
  uint16_t length = 0;
  uint8_t ip_version = 4, protocol = 0, tcp_flags = 0, pattern = 0;
  uint8_t src_ip6[16] = {}, dst_ip6[16] = {};
};

// The heap orders small keys (timestamp, sequence, slot); the records themselves stay put
// in a slot pool, so a pop moves 24-byte keys instead of ~100-byte records.
class PendingResponses {
 public:
  explicit PendingResponses(uint32_t capacity = 1) : capacity_(capacity) {}

  bool empty() const noexcept { return heap_.empty(); }
  bool full() const noexcept { return heap_.size() >= capacity_; }
  size_t size() const noexcept { return heap_.size(); }
  const PendingRecord& top() const noexcept { return slots_[heap_.front().slot]; }
  void clear() noexcept {
    heap_.clear();
    slots_.clear();
    free_.clear();
  }

  // Callers check full() first; the bound is the caller's to keep.
  void push(const PendingRecord& r) {
    uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
      slots_[slot] = r;
    } else {
      slot = static_cast<uint32_t>(slots_.size());
      slots_.push_back(r);
    }
    Key key{r.timestamp_ns, r.sequence, slot};
    size_t i = heap_.size();
    heap_.push_back(key);
    while (i > 0) {  // sift the hole up
      const size_t parent = (i - 1) / 2;
      if (!before(key, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = key;
  }

  void pop() {
    free_.push_back(heap_.front().slot);
    const Key last = heap_.back();
    heap_.pop_back();
    const size_t n = heap_.size();
    if (n == 0) return;
    size_t i = 0;
    for (;;) {  // sift the hole down
      size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
      if (!before(heap_[child], last)) break;
      heap_[i] = heap_[child];
      i = child;
    }
    heap_[i] = last;
  }

  // Pop order depends only on (timestamp, sequence), unique per record, so the records are
  // saved in any order and pushed back on load.
  void save(ByteWriter& w) const {
    w.u32(static_cast<uint32_t>(heap_.size()));
    for (const Key& k : heap_) {
      const PendingRecord& r = slots_[k.slot];
      w.u64(r.timestamp_ns);
      w.u64(r.duration_ns);
      w.u64(r.bytes);
      w.u64(r.flow_id);
      w.u64(r.sequence);
      w.u32(r.src_ip4);
      w.u32(r.dst_ip4);
      w.u32(r.packets);
      w.u16(r.src_port);
      w.u16(r.dst_port);
      w.u16(r.length);
      w.u8(r.ip_version);
      w.u8(r.protocol);
      w.u8(r.tcp_flags);
      w.u8(r.pattern);
      w.raw(r.src_ip6, 16);
      w.raw(r.dst_ip6, 16);
    }
  }

  void load(ByteReader& in) {
    const uint32_t n = in.u32();
    if (n > capacity_)
      throw Error(FLOWGEN_ERR_CHECKPOINT, "checkpoint: " + std::to_string(n) +
                                              " pending responses exceed max_pending " +
                                              std::to_string(capacity_));
    clear();
    for (uint32_t k = 0; k < n; ++k) {
      PendingRecord r;
      r.timestamp_ns = in.u64();
      r.duration_ns = in.u64();
      r.bytes = in.u64();
      r.flow_id = in.u64();
      r.sequence = in.u64();
      r.src_ip4 = in.u32();
      r.dst_ip4 = in.u32();
      r.packets = in.u32();
      r.src_port = in.u16();
      r.dst_port = in.u16();
      r.length = in.u16();
      r.ip_version = in.u8();
      r.protocol = in.u8();
      r.tcp_flags = in.u8();
      r.pattern = in.u8();
      in.raw(r.src_ip6, 16);
      in.raw(r.dst_ip6, 16);
      push(r);
    }
  }

 private:
  struct Key {
    uint64_t timestamp_ns;
    uint64_t sequence;
    uint32_t slot;
  };
  static bool before(const Key& a, const Key& b) noexcept {
    return a.timestamp_ns != b.timestamp_ns ? a.timestamp_ns < b.timestamp_ns
                                            : a.sequence < b.sequence;
  }
  uint32_t capacity_;
  std::vector<Key> heap_;
  std::vector<PendingRecord> slots_;
  std::vector<uint32_t> free_;
};

}  // namespace flowgen::detail
