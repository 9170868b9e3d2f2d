// StreamLane: one RecordStream filled ahead by its own worker thread (double buffering):
// while the generator merges the front buffer, the worker fills the back one. With a row
// spec set (flowgen_encoder_encode_next), the worker also encodes the rows of each buffer
// it fills (lane_rows.hpp). For checkpoints the lane remembers the stream state the front
// buffer was filled from, so a restore replays that fill and skips to the read position.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "batch.hpp"
#include "generator_stream.hpp"
#include "lane_rows.hpp"

namespace flowgen::detail {

class StreamLane {
 public:
  // `stream` must outlive the lane; the lane's worker is its only user between quiesce()s.
  // `pattern_names` (the generator's) names the patterns of the buffers for row encoders.
  StreamLane(RecordStream& stream, uint32_t capacity,
             const std::vector<std::string>* pattern_names);
  ~StreamLane();
  StreamLane(const StreamLane&) = delete;
  StreamLane& operator=(const StreamLane&) = delete;

  // After stream.rewind() or restore: front empty, back being filled.
  void restart();
  bool exhausted() const noexcept { return cursor_ >= front_.size; }
  uint64_t head_timestamp() const noexcept { return front_.timestamp_ns[cursor_]; }
  const Batch& front() const noexcept { return front_; }
  uint32_t take() noexcept { return cursor_++; }
  // Read position set by a merge that consumed records [cursor(), c) directly.
  void consume_to(uint32_t c) noexcept { cursor_ = c; }
  // Swaps in the back buffer (waiting for the worker) and starts the next fill.
  void advance();
  // Waits until the worker is idle; then the stream may be touched by the caller.
  void quiesce();

  // Starts (or, with null, stops) encoding rows of every buffer filled; the buffers already
  // filled are encoded here, so front_rows() matches front() on return. With rows, the
  // worker fills only the columns the row encoder reads; stopping them refills the front
  // buffer's other columns (same records) and the back buffer, so front() is whole again.
  void set_rows(const std::shared_ptr<const LaneRowSpec>& spec);
  // Rows of the front buffer (valid while a row spec is set).
  const LaneRows& front_rows() const noexcept { return front_rows_; }

  // Front-buffer state, fill size and read position (checkpoint).
  const std::vector<uint8_t>& front_state() const noexcept { return front_state_; }
  uint32_t front_size() const noexcept { return front_.size; }
  uint32_t cursor() const noexcept { return cursor_; }
  uint32_t capacity() const noexcept { return front_.capacity; }
  // Restore: the stream (quiesced) is loaded from `state`, refills `fill` records into the
  // front buffer, and the read position is set to `cursor`.
  void restore(std::vector<uint8_t> state, uint32_t fill, uint32_t cursor);
  // Responses pending in the stream after its last fill.
  uint64_t pending() const;

 private:
  void work();
  void request_fill_locked();
  void rethrow_locked();
  // The stream (quiesced) is loaded from `state` and fills `fill` records into the front
  // buffer, whose rows are encoded if a row encoder is set.
  void refill_front(const std::vector<uint8_t>& state, uint32_t fill);

  RecordStream& stream_;
  Batch front_, back_;
  // Touched by the worker only while it fills (set_rows quiesces first).
  std::unique_ptr<LaneRowEncoder> row_encoder_;
  ColumnSet columns_ = ColumnSet::all;  // what the worker fills: lean while rows are encoded
  LaneRows front_rows_, back_rows_;
  std::vector<uint8_t> front_state_, back_state_;
  uint32_t cursor_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool fill_requested_ = false, filling_ = false, back_ready_ = false, stop_ = false;
  uint64_t pending_ = 0;
  std::exception_ptr error_;
  std::thread worker_;
};

}  // namespace flowgen::detail
