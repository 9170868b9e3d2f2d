// Generator: what a flowgen_generator handle holds. It owns the batch columns, one
// RecordStream (or one per worker thread, merged by timestamp), the resolved seed and start,
// the output counters, and the checkpoint format. The merge of the threads' records is in
// generator_merge.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "batch.hpp"
#include "config.hpp"
#include "flowgen/flowgen.h"
#include "generator_stream.hpp"
#include "stream_lane.hpp"

namespace flowgen::detail {

class Generator {
 public:
  // Validates `config` (throws Error naming the key) and resolves the seed and start.
  explicit Generator(const Config& config);
  ~Generator();

  // Fills up to min(max_records, capacity) records; returns the count (0 when done). With
  // ColumnSet::lean the columns it leaves out may hold anything (encode_next's fill).
  uint32_t next_batch(uint32_t max_records, ColumnSet columns = ColumnSet::all);

  // Worker-thread mode with lane rows (flowgen_encoder_encode_next): the workers encode
  // the rows of their records with `spec` (null stops it); the lanes' spec is kept.
  bool threaded() const noexcept { return !lanes_.empty(); }
  void set_lane_rows(std::shared_ptr<const LaneRowSpec> spec);
  const std::shared_ptr<const LaneRowSpec>& lane_rows() const noexcept { return lane_rows_; }
  // Like next_batch, but appends the merged records' rows to `out` instead of filling the
  // columns (the batch is left empty). Needs set_lane_rows first.
  uint32_t next_rows(uint32_t max_records, RowBuffer& out);
  const Batch& batch() const noexcept { return batch_; }
  // Done at max_flows, or at the end of the clock (2^64 - 1 ns; see RecordStream).
  bool done() const noexcept { return ended_ || (limit_ != 0 && emitted_ >= limit_); }
  void reset();
  flowgen_stats stats() const;
  std::vector<uint8_t> checkpoint() const;
  void restore(const uint8_t* blob, size_t size);
  const std::vector<std::string>& pattern_names() const { return plan_->pattern_names; }

 private:
  uint32_t merge_threads(uint32_t n);
  uint32_t merge_rows(uint32_t n, RowBuffer& out);
  bool refill_lanes();
  void count_lane_ranges(const uint32_t* from, const uint32_t* to);
  // Adds the packets and bytes of records [from, to) of `b` to the stats. In packet mode
  // bytes = length and packets = 1: a lean fill writes only the length column.
  void count_records(const Batch& b, uint32_t from, uint32_t to);
  void rewind_streams();
  static uint32_t lane_records();  // capacity of a worker's buffers

  std::unique_ptr<GenerationPlan> plan_;
  uint64_t fingerprint_;
  uint64_t seed_;
  uint64_t start_ns_;
  uint64_t limit_;            // records of this shard; 0 = unlimited
  uint64_t ns_per_byte_q32_;  // this generator's whole bandwidth (stats)
  Batch batch_;
  std::vector<std::unique_ptr<RecordStream>> streams_;
  // Worker-thread mode: one lane (worker + double buffer) per stream, merged by timestamp.
  std::vector<std::unique_ptr<StreamLane>> lanes_;
  std::vector<uint8_t> merge_lane_;  // per output slot: lane and index it comes from
  std::vector<uint32_t> merge_index_;
  std::vector<const Batch*> merge_sources_;
  // The lanes still merged, in lane order: a lane leaves when its stream reaches the end of
  // the clock. Merge indices (ties, lane column) count within this list.
  std::vector<uint32_t> live_;
  std::shared_ptr<const LaneRowSpec> lane_rows_;
  uint64_t emitted_ = 0, packets_ = 0, bytes_ = 0;
  double wall_seconds_ = 0;
  // Every stream reached the end of the clock (see RecordStream::out_of_time).
  bool ended_ = false;
};

}  // namespace flowgen::detail
