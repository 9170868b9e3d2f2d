// BiflowPairer: joins a request record and its response (same flow id, direction 1) into
// one RFC 5103 biflow, with bounded memory. The generator emits a response RTT after its
// request, in start-time order, possibly batches later, and the record alone does not say
// whether a response will come, so every request waits here until one of:
//  - its response arrives: the pair is emitted at once;
//  - a record starts more than kWindowNs after it (60 s of simulated time, far beyond
//    any plausible RTT: the default median is 4 ms): it is emitted alone;
//  - kCapacity requests (live or already paired) are held: the oldest goes out alone;
//  - flush() at finish: every request left goes out alone, oldest first.
// A response whose request already left is emitted alone (its source is the responder).
// Every rule depends only on the record sequence, so output does not depend on batches.
#pragma once

#include <cstdint>
#include <deque>
#include <unordered_map>

#include "export_clock.hpp"
#include "export_state.hpp"

namespace flowgen::detail {

// One direction of a flow, as the IPFIX encoder writes it.
struct FlowHalf {
  uint64_t flow_id = 0, start_ns = 0, end_ns = 0, packets = 0, bytes = 0;
  uint32_t src_ip4 = 0, dst_ip4 = 0;
  uint16_t src_port = 0, dst_port = 0;
  uint8_t ip_version = 4, protocol = 0, tcp_flags = 0;
  uint8_t src_ip6[16] = {}, dst_ip6[16] = {};
};

// biflowDirection (IE 239) values.
constexpr uint8_t kBiflowInitiator = 1;         // the source is the initiator
constexpr uint8_t kBiflowReverseInitiator = 2;  // the destination is the initiator

class BiflowPairer {
 public:
  static constexpr uint64_t kWindowNs = 60 * kNsPerSecond;
  static constexpr size_t kCapacity = size_t(1) << 18;  // ~30 MB at most

  // Emit(const FlowHalf& forward, const FlowHalf* reverse or null, uint8_t direction).
  template <typename Emit>
  void request(const FlowHalf& r, Emit&& emit) {
    expire(r.start_ns, emit);
    const auto old = index_.find(r.flow_id);
    if (old != index_.end()) release(old->second, emit);  // a reused id: no pair for the old
    if (held_.size() >= kCapacity) pop_front(emit);
    index_[r.flow_id] = first_ + held_.size();
    held_.push_back({r, true});
  }

  template <typename Emit>
  void response(const FlowHalf& r, Emit&& emit) {
    expire(r.start_ns, emit);
    const auto it = index_.find(r.flow_id);
    if (it == index_.end() || held_[it->second - first_].half.ip_version != r.ip_version) {
      emit(r, static_cast<const FlowHalf*>(nullptr), kBiflowReverseInitiator);
      return;
    }
    Held& h = held_[it->second - first_];
    h.live = false;
    index_.erase(it);
    emit(h.half, &r, kBiflowInitiator);
  }

  template <typename Emit>
  void flush(Emit&& emit) {
    while (!held_.empty()) pop_front(emit);
  }

  size_t pending() const { return index_.size(); }

  void save(ExportStateWriter& w) const {
    w.u64(first_).u64(held_.size());
    for (const Held& h : held_) {
      const FlowHalf& f = h.half;
      w.u64(h.live).u64(f.flow_id).u64(f.start_ns).u64(f.end_ns).u64(f.packets).u64(f.bytes);
      w.u64(f.src_ip4).u64(f.dst_ip4).u64(f.src_port).u64(f.dst_port);
      w.u64(f.ip_version).u64(f.protocol).u64(f.tcp_flags);
      w.bytes(f.src_ip6, 16).bytes(f.dst_ip6, 16);
    }
  }
  void restore(ExportStateReader& r) {
    held_.clear();
    index_.clear();
    first_ = r.u64();
    const uint64_t n = r.u64();
    if (n > kCapacity) r.fail("too many pending biflow requests");
    for (uint64_t k = 0; k < n; ++k) {
      Held h;
      FlowHalf& f = h.half;
      h.live = r.u64() != 0;
      f.flow_id = r.u64();
      f.start_ns = r.u64();
      f.end_ns = r.u64();
      f.packets = r.u64();
      f.bytes = r.u64();
      f.src_ip4 = static_cast<uint32_t>(r.u64());
      f.dst_ip4 = static_cast<uint32_t>(r.u64());
      f.src_port = static_cast<uint16_t>(r.u64());
      f.dst_port = static_cast<uint16_t>(r.u64());
      f.ip_version = static_cast<uint8_t>(r.u64());
      f.protocol = static_cast<uint8_t>(r.u64());
      f.tcp_flags = static_cast<uint8_t>(r.u64());
      if (r.bytes(f.src_ip6, 16) != 16 || r.bytes(f.dst_ip6, 16) != 16) r.fail("bad address");
      if (h.live) index_[f.flow_id] = first_ + k;
      held_.push_back(h);
    }
  }

 private:
  struct Held {
    FlowHalf half;
    bool live;  // false once paired (left in place: the deque pops from the front only)
  };

  template <typename Emit>
  void expire(uint64_t now_ns, Emit& emit) {
    while (!held_.empty() &&
           (!held_.front().live || held_.front().half.start_ns + kWindowNs < now_ns))
      pop_front(emit);
  }
  template <typename Emit>
  void pop_front(Emit& emit) {
    release(first_, emit);
    held_.pop_front();
    ++first_;
  }
  // Emits held request `seq` alone if it is still waiting.
  template <typename Emit>
  void release(uint64_t seq, Emit& emit) {
    Held& h = held_[seq - first_];
    if (!h.live) return;
    h.live = false;
    index_.erase(h.half.flow_id);
    emit(h.half, static_cast<const FlowHalf*>(nullptr), kBiflowInitiator);
  }

  std::deque<Held> held_;  // requests in arrival (= start time) order
  uint64_t first_ = 0;     // sequence number of held_.front()
  std::unordered_map<uint64_t, uint64_t> index_;  // flow id -> sequence of a live request
};

}  // namespace flowgen::detail
