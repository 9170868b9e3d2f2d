#include "stream_lane.hpp"

#include <utility>

namespace flowgen::detail {

namespace {
std::vector<uint8_t> state_of(const RecordStream& stream) {
  ByteWriter w;
  stream.save(w);
  return std::move(w.bytes());
}
}  // namespace

StreamLane::StreamLane(RecordStream& stream, uint32_t capacity,
                       const std::vector<std::string>* pattern_names)
    : stream_(stream), front_(capacity), back_(capacity) {
  front_.pattern_names = back_.pattern_names = pattern_names;
  stream_.prepare(front_);
  stream_.prepare(back_);
  worker_ = std::thread([this] { work(); });
}

StreamLane::~StreamLane() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

void StreamLane::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stop_ || fill_requested_; });
    if (stop_) return;
    fill_requested_ = false;
    filling_ = true;
    lock.unlock();
    std::exception_ptr error;
    uint64_t pending = 0;
    try {
      back_state_ = state_of(stream_);
      back_.size = stream_.fill(back_, 0, back_.capacity, columns_);
      pending = stream_.pending();
      if (row_encoder_) row_encoder_->encode(back_, back_rows_);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    filling_ = false;
    back_ready_ = !error;
    if (error) error_ = error;
    pending_ = pending;
    // Notified without the lock: a waiter woken while it is held would block on it again.
    lock.unlock();
    changed_.notify_all();
    lock.lock();
  }
}

// The caller notifies changed_ once it has released the lock.
void StreamLane::request_fill_locked() {
  back_ready_ = false;
  fill_requested_ = true;
}

void StreamLane::rethrow_locked() {
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void StreamLane::restart() {
  quiesce();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    front_.size = 0;
    front_rows_.clear();
    cursor_ = 0;
    front_state_ = state_of(stream_);
    request_fill_locked();
  }
  changed_.notify_all();
}

void StreamLane::advance() {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return back_ready_ || error_; });
    rethrow_locked();
    std::swap(front_, back_);
    std::swap(front_rows_, back_rows_);
    std::swap(front_state_, back_state_);
    cursor_ = 0;
    request_fill_locked();
  }
  changed_.notify_all();
}

void StreamLane::quiesce() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return !fill_requested_ && !filling_; });
  rethrow_locked();
}

void StreamLane::refill_front(const std::vector<uint8_t>& state, uint32_t fill) {
  ByteReader r(state.data(), state.size());
  stream_.load(r);
  if (fill > front_.capacity) {  // a blob from a version with larger lane buffers
    const auto* names = front_.pattern_names;
    front_.resize(fill);
    front_.pattern_names = names;
    stream_.prepare(front_);
  }
  front_.size = fill ? stream_.fill(front_, 0, fill, columns_) : 0;
  if (row_encoder_) row_encoder_->encode(front_, front_rows_);
}

void StreamLane::restore(std::vector<uint8_t> state, uint32_t fill, uint32_t cursor) {
  quiesce();
  refill_front(state, fill);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    front_state_ = std::move(state);
    cursor_ = cursor;
    pending_ = stream_.pending();
    request_fill_locked();
  }
  changed_.notify_all();
}

void StreamLane::set_rows(const std::shared_ptr<const LaneRowSpec>& spec) {
  quiesce();
  row_encoder_ = spec ? std::make_unique<LaneRowEncoder>(*spec) : nullptr;
  const ColumnSet was = columns_;
  columns_ = row_encoder_ ? row_encoder_->columns_read() : ColumnSet::all;
  if (was == ColumnSet::lean && columns_ == ColumnSet::all) {
    // The buffers lack columns next_batch reads: the front one is filled again from the
    // state it was filled from (the same records), and the back one after it.
    restore(front_state_, front_.size, cursor_);
    return;
  }
  if (!row_encoder_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  row_encoder_->encode(front_, front_rows_);
  if (back_ready_) row_encoder_->encode(back_, back_rows_);
}

uint64_t StreamLane::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pending_;
}

}  // namespace flowgen::detail
