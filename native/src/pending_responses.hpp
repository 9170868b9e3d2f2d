// PendingResponses: bidirectional responses generated together with their request but due
// later (request start + RTT). A bounded 4-ary min-heap ordered by (timestamp, sequence),
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

// The heap orders 16-byte keys; the records stay put in a slot pool (written in place by
// the generator: no zero-initialised temporary, no copy), so a pop moves keys only.
class PendingResponses {
 public:
  // max_pending <= 2^24 (FLOWGEN_MAX_PENDING_LIMIT): a slot index fits in kSlotBits.
  static constexpr uint32_t kSlotBits = 24;

  explicit PendingResponses(uint32_t capacity = 1) : capacity_(capacity) {}

  bool empty() const noexcept { return heap_.empty(); }
  bool full() const noexcept { return heap_.size() >= capacity_; }
  size_t size() const noexcept { return heap_.size(); }
  // Due time of the earliest record, from its key (no trip to the slot pool).
  uint64_t top_timestamp() const noexcept { return heap_.front().timestamp_ns; }
  const PendingRecord& top() const noexcept { return slots_[slot_of(heap_.front())]; }
  void clear() noexcept {
    heap_.clear();
    slots_.clear();
    free_.clear();
  }

  // A slot for a new record; the caller sets every field, then calls commit(). Slots are
  // reused as they are (fields from an earlier record), so nothing is zeroed per push.
  // Callers check full() first; the bound is the caller's to keep.
  // reserve, commit and pop are forced inline: the generator's fill loop calls them per
  // response, and GCC's inliner runs out of growth budget there.
  [[gnu::always_inline]] PendingRecord& reserve() {
    if (free_.empty()) {
      reserved_ = uint32_t(slots_.size());
      slots_.emplace_back();
    } else {
      reserved_ = free_.back();
      free_.pop_back();
    }
    return slots_[reserved_];
  }
  // Queues the record of the last reserve() by its timestamp and sequence.
  [[gnu::always_inline]] void commit() {
    const PendingRecord& r = slots_[reserved_];
    // The tie-breaker holds the sequence's low 40 bits above the slot: (timestamp,
    // sequence) order, unless two records due at the same nanosecond are 2^40 responses
    // apart (still a deterministic order, a function of the state alone).
    const Key key{r.timestamp_ns, (r.sequence << kSlotBits) | reserved_};
    size_t i = heap_.size();
    heap_.push_back(key);
    while (i > 0) {  // sift the hole up
      const size_t parent = (i - 1) / kArity;
      if (!before(key, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = key;
  }
  void push(const PendingRecord& r) {
    reserve() = r;
    commit();
  }

  [[gnu::always_inline]] void pop() {
    free_.push_back(slot_of(heap_.front()));
    const Key last = heap_.back();
    heap_.pop_back();
    const size_t n = heap_.size();
    if (n == 0) return;
    // Floyd: move the hole to a leaf along the smallest children (a tournament of two
    // branch-free comparisons and one select per level of four), then sift `last` up from
    // there; it belongs near the bottom. Four children halve the levels of a binary heap.
    Key* heap = heap_.data();
    size_t i = 0, child = 1;
    while (child + 3 < n) {
      const size_t left = child + size_t(before(heap[child + 1], heap[child]));
      const size_t right = child + 2 + size_t(before(heap[child + 3], heap[child + 2]));
      const size_t smallest = pick(before(heap[right], heap[left]), right, left);
      heap[i] = heap[smallest];
      i = smallest;
      child = kArity * i + 1;
    }
    if (child < n) {  // a last group of one to three children
      size_t smallest = child;
      for (size_t c = child + 1; c < n; ++c) smallest = pick(before(heap[c], heap[smallest]), c, smallest);
      heap[i] = heap[smallest];
      i = smallest;
    }
    while (i > 0) {
      const size_t parent = (i - 1) / kArity;
      if (!before(last, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = last;
  }

  // Visits every pending record, in no particular order (checks after a load).
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const Key& k : heap_) visit(slots_[slot_of(k)]);
  }

  // Pop order depends only on (timestamp, sequence), unique per record, so the records are
  // saved in any order and pushed back on load.
  void save(ByteWriter& w) const {
    w.u32(static_cast<uint32_t>(heap_.size()));
    for (const Key& k : heap_) {
      const PendingRecord& r = slots_[slot_of(k)];
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
    uint64_t tie;  // sequence << kSlotBits | slot
  };
  __extension__ typedef unsigned __int128 Order;
  static constexpr size_t kArity = 4;  // children per node
  static uint32_t slot_of(const Key& k) noexcept {
    return uint32_t(k.tie & ((uint64_t(1) << kSlotBits) - 1));
  }
  // first if `take_first`, else second, by a mask: which child is smallest is random, and
  // compilers turn the ternary into a branch mispredicted about half the time.
  static size_t pick(bool take_first, size_t first, size_t second) noexcept {
    const size_t mask = size_t(0) - size_t(take_first);
    return second ^ ((first ^ second) & mask);
  }
  // One 128-bit comparison (cmp + sbb, no branch).
  static bool before(const Key& a, const Key& b) noexcept {
    return ((Order(a.timestamp_ns) << 64) | a.tie) < ((Order(b.timestamp_ns) << 64) | b.tie);
  }
  uint32_t capacity_;
  std::vector<Key> heap_;
  std::vector<PendingRecord> slots_;
  std::vector<uint32_t> free_;
  uint32_t reserved_ = 0;  // slot of the last reserve()
};

}  // namespace flowgen::detail
