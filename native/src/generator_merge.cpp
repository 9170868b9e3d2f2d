// The merge of a threaded generator's lanes, by (timestamp, lane index): deterministic for
// a given thread count and seed. merge_threads gathers the records into the batch columns
// (next_batch); merge_rows copies the rows the workers encoded (next_rows), which is all
// the merging thread does on the encode_next path.
#include <algorithm>
#include <cstddef>

#include "generator.hpp"
#include "lane_rows.hpp"

namespace flowgen::detail {

namespace {

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

// The lane whose head row comes first (ties to the lowest lane): more than two lanes.
inline size_t earliest_row(const LaneRow* const* head, size_t count) {
  size_t best = 0;
  for (size_t t = 1; t < count; ++t) {
    if (head[t]->timestamp_ns < head[best]->timestamp_ns) best = t;
  }
  return best;
}

// Two lanes (the common case): copies `steps` rows in merge order; both lanes have at least
// that many left. Which lane is next is a coin flip, so the pick selects the row pointer with
// a mask: a branch (or a cmov the compiler turns back into one) mispredicts every other row.
inline uint8_t* merge_two(const LaneRow*& r0, const LaneRow*& r1, uint32_t steps, uint8_t* to) {
  uintptr_t a = reinterpret_cast<uintptr_t>(r0), b = reinterpret_cast<uintptr_t>(r1);
  for (uint32_t k = 0; k < steps; ++k) {
    const auto* const row0 = reinterpret_cast<const LaneRow*>(a);
    const auto* const row1 = reinterpret_cast<const LaneRow*>(b);
    const uintptr_t one = row1->timestamp_ns < row0->timestamp_ns;  // ties to lane 0
    const auto* const row = reinterpret_cast<const LaneRow*>(a ^ ((a ^ b) & (0 - one)));
    const uint8_t* const from = row->text;
    const uint32_t size = uint32_t(row[1].text - from);
    copy_row(to, from, size);
    to += size;
    const uintptr_t step = one * sizeof(LaneRow);
    a += sizeof(LaneRow) - step;
    b += step;
  }
  r0 = reinterpret_cast<const LaneRow*>(a);
  r1 = reinterpret_cast<const LaneRow*>(b);
  return to;
}

}  // namespace

// Gives every live lane whose front buffer is used up its next one. Worker streams have no
// limit, so a lane whose next buffer is empty has reached the end of the clock: it leaves
// the merge (its records so far were all merged, the others' later ones still are). False
// when no lane is left.
bool Generator::refill_lanes() {
  size_t kept = 0;
  for (const uint32_t t : live_) {
    if (lanes_[t]->exhausted()) lanes_[t]->advance();
    if (!lanes_[t]->exhausted()) live_[kept++] = t;
  }
  live_.resize(kept);
  ended_ = kept == 0;
  return !ended_;
}

// Worker-thread mode: each lane's worker fills ahead; the front buffers are merged by
// (timestamp, lane index), which is deterministic for a given thread count and seed.
// Below, t counts live lanes (live_[t] is the lane).
uint32_t Generator::merge_threads(uint32_t n) {
  std::vector<const Batch*>& sources = merge_sources_;
  const bool constant_columns = plan_->packet_fast_path;  // batch_ was prepare()d
  uint8_t* const lane_out = merge_lane_.data();
  uint32_t* const index_out = merge_index_.data();
  uint64_t* const ts_out = batch_.timestamp_ns.data();
  uint32_t j = 0;
  while (j < n && refill_lanes()) {
    const size_t count = live_.size();
    sources.resize(count);
    StreamLane* lane[256];
    for (size_t t = 0; t < count; ++t) {
      lane[t] = lanes_[live_[t]].get();
      sources[t] = &lane[t]->front();
    }
    // Decide the order of a run of records (until a lane runs dry) in a tight loop over
    // local cursors, writing the timestamps as it goes; then copy the run column by column.
    const uint32_t run_start = j;
    if (count == 2) {
      // Two lanes (the common case): branch-free pick, ties to lane 0.
      const uint64_t* const ts0 = sources[0]->timestamp_ns.data();
      const uint64_t* const ts1 = sources[1]->timestamp_ns.data();
      uint32_t c0 = lane[0]->cursor(), c1 = lane[1]->cursor();
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
      lane[0]->consume_to(c0);
      lane[1]->consume_to(c1);
    } else {
      uint32_t cursor[256], end[256];
      const uint64_t* ts[256];
      for (size_t t = 0; t < count; ++t) {
        cursor[t] = lane[t]->cursor();
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
      for (size_t t = 0; t < count; ++t) lane[t]->consume_to(cursor[t]);
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
  uint32_t first[256], cursor[256];
  const LaneRow* head[256];
  const LaneRow* end[256];
  uint32_t j = 0;
  while (j < n && refill_lanes()) {
    const size_t count = live_.size();
    size_t room = kRowCopySlack;
    for (size_t t = 0; t < count; ++t) {
      const LaneRow* const rows = lanes_[live_[t]]->front_rows().rows.data();
      first[t] = lanes_[live_[t]]->cursor();
      head[t] = rows + first[t];
      end[t] = rows + lanes_[live_[t]]->front().size;
      room += size_t(end[t]->text - head[t]->text);
    }
    uint8_t* const start = out.room(room);
    uint8_t* to = start;
    if (count == 2) {
      // Runs of rows that cannot exhaust a lane, until one is exhausted or n are done.
      for (;;) {
        const uint32_t steps = uint32_t(
            std::min<ptrdiff_t>({ptrdiff_t(n - j), end[0] - head[0], end[1] - head[1]}));
        if (steps == 0) break;
        to = merge_two(head[0], head[1], steps, to);
        j += steps;
      }
    } else {
      while (j < n) {
        const size_t best = earliest_row(head, count);
        const LaneRow* const row = head[best]++;
        const uint32_t size = uint32_t(row[1].text - row->text);
        copy_row(to, row->text, size);
        to += size;
        ++j;
        if (head[best] == end[best]) break;
      }
    }
    out.size += size_t(to - start);
    for (size_t t = 0; t < count; ++t) {
      cursor[t] = uint32_t(head[t] - lanes_[live_[t]]->front_rows().rows.data());
    }
    count_lane_ranges(first, cursor);
    for (size_t t = 0; t < count; ++t) lanes_[live_[t]]->consume_to(cursor[t]);
  }
  return j;
}

// Packets and bytes of the records taken from each live lane's front buffer, [from, to).
void Generator::count_lane_ranges(const uint32_t* from, const uint32_t* to) {
  for (size_t t = 0; t < live_.size(); ++t) {
    count_records(lanes_[live_[t]]->front(), from[t], to[t]);
  }
}

}  // namespace flowgen::detail
