// The merge of a threaded generator's lanes, by (timestamp, lane index): deterministic for
// a given thread count and seed. merge_threads gathers the records into the batch columns
// (next_batch); merge_rows copies the rows the workers encoded (next_rows), which is all
// the merging thread does on the encode_next path.
#include <algorithm>

#include "generator.hpp"
#include "lane_rows.hpp"

namespace flowgen::detail {

namespace {

// Never expected (worker streams have no limit and restore refuses a finished one); without
// this check a merge loop would spin forever on the empty lane.
[[noreturn]] void throw_empty_lane(size_t lane) {
  throw Error(FLOWGEN_ERR_INTERNAL,
              "generator: worker stream " + std::to_string(lane) + " produced no records");
}

// The lane whose next record comes first (ties to the lowest lane): the general case of
// more than two lanes.
inline size_t earliest_lane(const uint64_t* const* ts, const uint32_t* cursor, size_t count) {
  size_t best = 0;
  uint64_t best_ts = ts[0][cursor[0]];
  for (size_t t = 1; t < count; ++t) {
    const uint64_t v = ts[t][cursor[t]];
    if (v < best_ts) {
      best_ts = v;
      best = t;
    }
  }
  return best;
}

}  // namespace

// Worker-thread mode: each lane's worker fills ahead; the front buffers are merged by
// (timestamp, lane index), which is deterministic for a given thread count and seed.
uint32_t Generator::merge_threads(uint32_t n) {
  const size_t count = lanes_.size();
  std::vector<const Batch*>& sources = merge_sources_;
  sources.resize(count);
  const bool constant_columns = plan_->packet_fast_path;  // batch_ was prepare()d
  uint8_t* const lane_out = merge_lane_.data();
  uint32_t* const index_out = merge_index_.data();
  uint64_t* const ts_out = batch_.timestamp_ns.data();
  uint32_t j = 0;
  while (j < n) {
    for (size_t t = 0; t < count; ++t) {
      if (lanes_[t]->exhausted()) lanes_[t]->advance();
      if (lanes_[t]->exhausted()) throw_empty_lane(t);
      sources[t] = &lanes_[t]->front();
    }
    // Decide the order of a run of records (until a lane runs dry) in a tight loop over
    // local cursors, writing the timestamps as it goes; then copy the run column by column.
    const uint32_t run_start = j;
    if (count == 2) {
      // Two lanes (the common case): branch-free pick, ties to lane 0.
      const uint64_t* const ts0 = sources[0]->timestamp_ns.data();
      const uint64_t* const ts1 = sources[1]->timestamp_ns.data();
      uint32_t c0 = lanes_[0]->cursor(), c1 = lanes_[1]->cursor();
      const uint32_t e0 = sources[0]->size, e1 = sources[1]->size;
      while (j < n && c0 < e0 && c1 < e1) {
        const uint64_t a = ts0[c0], b = ts1[c1];
        const uint32_t one = b < a;
        const uint32_t mask = 0u - one;
        lane_out[j] = uint8_t(one);
        index_out[j] = (c1 & mask) | (c0 & ~mask);
        ts_out[j] = one ? b : a;
        c0 += 1 - one;
        c1 += one;
        ++j;
      }
      lanes_[0]->consume_to(c0);
      lanes_[1]->consume_to(c1);
    } else {
      uint32_t cursor[256], end[256];
      const uint64_t* ts[256];
      for (size_t t = 0; t < count; ++t) {
        cursor[t] = lanes_[t]->cursor();
        end[t] = sources[t]->size;
        ts[t] = sources[t]->timestamp_ns.data();
      }
      while (j < n) {
        const size_t best = earliest_lane(ts, cursor, count);
        lane_out[j] = uint8_t(best);
        ts_out[j] = ts[best][cursor[best]];
        index_out[j] = cursor[best]++;
        ++j;
        if (cursor[best] >= end[best]) break;
      }
      for (size_t t = 0; t < count; ++t) lanes_[t]->consume_to(cursor[t]);
    }
    gather_records(sources.data(), lane_out + run_start, index_out + run_start, j - run_start,
                   batch_, run_start, uint32_t(count), constant_columns);
  }
  return j;
}

// Rows path: the same order as merge_threads, each record's row copied as it is picked.
// A run goes until a lane runs dry; `out` has room for every row left in the front buffers
// first, so the loop has no bounds checks. Lanes advance between runs only: advancing hands
// the front buffer back to its worker.
uint32_t Generator::merge_rows(uint32_t n, RowBuffer& out) {
  const size_t count = lanes_.size();
  uint32_t first[256], cursor[256], end[256];
  const uint64_t* ts[256];
  const uint8_t* bytes[256];
  const uint32_t* offsets[256];
  uint32_t j = 0;
  while (j < n) {
    size_t room = kRowCopySlack;
    for (size_t t = 0; t < count; ++t) {
      if (lanes_[t]->exhausted()) lanes_[t]->advance();
      if (lanes_[t]->exhausted()) throw_empty_lane(t);  // as in merge_threads
      const Batch& b = lanes_[t]->front();
      const LaneRows& rows = lanes_[t]->front_rows();
      first[t] = cursor[t] = lanes_[t]->cursor();
      end[t] = b.size;
      ts[t] = b.timestamp_ns.data();
      bytes[t] = rows.bytes.data();
      offsets[t] = rows.offsets.data();
      room += offsets[t][end[t]] - offsets[t][cursor[t]];
    }
    uint8_t* const start = out.room(room);
    uint8_t* to = start;
    if (count == 2) {
      // Two lanes (the common case). Which lane is next is a coin flip, so the pick selects
      // the cursor and the row pointers with masks: a branch (or a cmov the compiler turns
      // back into one) mispredicts every other record.
      const uint64_t* const ts0 = ts[0];
      const uint64_t* const ts1 = ts[1];
      const uintptr_t bytes0 = reinterpret_cast<uintptr_t>(bytes[0]);
      const uintptr_t bytes_x = bytes0 ^ reinterpret_cast<uintptr_t>(bytes[1]);
      const uintptr_t offsets0 = reinterpret_cast<uintptr_t>(offsets[0]);
      const uintptr_t offsets_x = offsets0 ^ reinterpret_cast<uintptr_t>(offsets[1]);
      const uint32_t e0 = end[0], e1 = end[1];
      uint32_t c0 = cursor[0], c1 = cursor[1];
      while (j < n && c0 < e0 && c1 < e1) {
        const uint32_t one = ts1[c1] < ts0[c0];  // ties to lane 0
        const uint32_t mask = 0u - one;
        const uintptr_t wide_mask = uintptr_t(0) - one;
        const uint32_t i = c0 ^ ((c0 ^ c1) & mask);
        const auto* const off = reinterpret_cast<const uint32_t*>(offsets0 ^ (offsets_x & wide_mask));
        const auto* const from = reinterpret_cast<const uint8_t*>(bytes0 ^ (bytes_x & wide_mask));
        const uint32_t begin = off[i], size = off[i + 1] - begin;
        copy_row(to, from + begin, size);
        to += size;
        c0 += 1 - one;
        c1 += one;
        ++j;
      }
      cursor[0] = c0;
      cursor[1] = c1;
    } else {
      while (j < n) {
        const size_t best = earliest_lane(ts, cursor, count);
        const uint32_t i = cursor[best]++;
        const uint32_t begin = offsets[best][i], size = offsets[best][i + 1] - begin;
        copy_row(to, bytes[best] + begin, size);
        to += size;
        ++j;
        if (cursor[best] >= end[best]) break;
      }
    }
    out.size += size_t(to - start);
    count_lane_ranges(first, cursor);
    for (size_t t = 0; t < count; ++t) lanes_[t]->consume_to(cursor[t]);
  }
  return j;
}

// Packets and bytes of the records taken from each lane's front buffer, [from, to).
void Generator::count_lane_ranges(const uint32_t* from, const uint32_t* to) {
  for (size_t t = 0; t < lanes_.size(); ++t) {
    const Batch& b = lanes_[t]->front();
    const uint64_t* const bytes = b.bytes.data();
    for (uint32_t k = from[t]; k < to[t]; ++k) bytes_ += bytes[k];
    if (plan_->packet_fast_path) {
      packets_ += to[t] - from[t];  // the packets column is the constant 1
    } else {
      const uint32_t* const packets = b.packets.data();
      for (uint32_t k = from[t]; k < to[t]; ++k) packets_ += packets[k];
    }
  }
}

}  // namespace flowgen::detail
