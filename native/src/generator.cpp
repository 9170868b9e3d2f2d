#include "generator.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <random>
#include <thread>

#include "abi_guard.hpp"

namespace flowgen::detail {

// Runs task(i) for i in [0, count) in parallel: index 0 on the calling thread, the others
// on persistent workers (count - 1 <= workers). Simplest correct design: the caller waits.
class WorkerPool {
 public:
  explicit WorkerPool(size_t workers) {
    for (size_t k = 0; k < workers; ++k) threads_.emplace_back([this, k] { loop(k + 1); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }

  void run(size_t count, const std::function<void(size_t)>& task) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = &task;
      count_ = count;
      remaining_ = count > 0 ? count - 1 : 0;
      error_ = nullptr;
      ++generation_;
    }
    wake_.notify_all();
    std::exception_ptr own;
    if (count > 0) {
      try {
        task(0);
      } catch (...) {
        own = std::current_exception();
      }
    }
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return remaining_ == 0; });
    if (own) std::rethrow_exception(own);
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void loop(size_t index) {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      if (index >= count_) continue;
      const auto* task = task_;
      lock.unlock();
      std::exception_ptr error;
      try {
        (*task)(index);
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      if (error && !error_) error_ = error;
      if (--remaining_ == 0) done_.notify_all();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(size_t)>* task_ = nullptr;
  size_t count_ = 0, remaining_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
};

namespace {

constexpr char kMagic[4] = {'F', 'G', 'C', 'K'};
constexpr uint32_t kFormatVersion = 1;

uint64_t random_seed() {
  std::random_device device;
  const uint64_t clock = uint64_t(std::chrono::high_resolution_clock::now().time_since_epoch().count());
  return splitmix64((uint64_t(device()) << 32 | device()) ^ clock);
}

uint64_t wall_clock_ns() {
  return uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count());
}

}  // namespace

Generator::Generator(const Config& config) {
  validate_config(config);
  if (config.threads == 0 || config.threads > 256)
    throw config_error("generation.threads: " + std::to_string(config.threads) +
                       " must be in 1..256");
  plan_ = std::make_unique<GenerationPlan>(config);
  fingerprint_ = config_fingerprint(config);
  seed_ = config.has_seed ? config.seed : random_seed();
  start_ns_ = config.has_start ? config.start_ns : wall_clock_ns();
  const uint64_t n = config.shard_count, i = config.shard_index;
  // Shard i of n produces its share of max_flows (the first max % n shards one more).
  limit_ = config.max_flows == 0 ? UINT64_MAX : config.max_flows / n + (i < config.max_flows % n);
  ns_per_byte_q32_ = ns_per_byte_q32(config.bandwidth_gbps / double(n));
  const uint32_t threads = config.threads;
  const uint64_t total_streams = n * threads;
  const uint64_t stream_step = ns_per_byte_q32(config.bandwidth_gbps / double(total_streams));
  for (uint32_t t = 0; t < threads; ++t) {
    StreamSetup setup;
    setup.rng_stream = i * threads + t;
    setup.id_offset = setup.rng_stream;
    setup.id_stride = total_streams;
    setup.limit = threads == 1 ? limit_ : UINT64_MAX;  // with threads the merge stops
    setup.ns_per_byte_q32 = stream_step;
    streams_.push_back(std::make_unique<RecordStream>(*plan_, setup));
  }
  batch_.resize(config.batch_size);
  batch_.pattern_names = &plan_->pattern_names;
  if (threads > 1) {
    const uint32_t buffer = std::max<uint32_t>(config.batch_size, 4096);
    buffers_.assign(threads, Batch(buffer));
    cursors_.assign(threads, 0);
    fill_states_.assign(threads, {});
    pool_ = std::make_unique<WorkerPool>(threads - 1);
  }
  rewind_streams();
}

Generator::~Generator() = default;

void Generator::rewind_streams() {
  for (size_t t = 0; t < streams_.size(); ++t) {
    streams_[t]->rewind(seed_, start_ns_);
    if (pool_) {
      buffers_[t].size = 0;
      cursors_[t] = 0;
      ByteWriter w;
      streams_[t]->save(w);
      fill_states_[t] = std::move(w.bytes());
    }
  }
  emitted_ = packets_ = bytes_ = 0;
  batch_.size = 0;
}

void Generator::reset() {
  rewind_streams();
  wall_seconds_ = 0;
}

uint32_t Generator::next_batch(uint32_t max_records) {
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t n = std::min(max_records, batch_.capacity);
  n = std::min<uint64_t>(n, limit_ - emitted_);
  const uint32_t count =
      pool_ ? merge_threads(uint32_t(n)) : streams_[0]->fill(batch_, 0, uint32_t(n));
  batch_.size = count;
  uint64_t packets = 0, bytes = 0;
  for (uint32_t k = 0; k < count; ++k) {
    packets += batch_.packets[k];
    bytes += batch_.bytes[k];
  }
  emitted_ += count;
  packets_ += packets;
  bytes_ += bytes;
  wall_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return count;
}

// Worker-thread mode: the streams fill their buffers in parallel, then the buffers are
// merged by (timestamp, stream index) until one runs dry; repeat.
uint32_t Generator::merge_threads(uint32_t n) {
  const size_t streams = streams_.size();
  uint32_t j = 0;
  std::vector<size_t> refill;
  while (j < n) {
    refill.clear();
    for (size_t t = 0; t < streams; ++t)
      if (cursors_[t] >= buffers_[t].size) refill.push_back(t);
    if (!refill.empty()) {
      for (size_t t : refill) {
        ByteWriter w;
        streams_[t]->save(w);
        fill_states_[t] = std::move(w.bytes());
      }
      pool_->run(refill.size(), [&](size_t k) {
        const size_t t = refill[k];
        buffers_[t].size = streams_[t]->fill(buffers_[t], 0, buffers_[t].capacity);
        cursors_[t] = 0;
      });
    }
    while (j < n) {
      size_t best = 0;
      uint64_t best_ts = UINT64_MAX;
      for (size_t t = 0; t < streams; ++t) {
        const uint64_t ts = buffers_[t].timestamp_ns[cursors_[t]];
        if (ts < best_ts) {
          best_ts = ts;
          best = t;
        }
      }
      copy_record(buffers_[best], cursors_[best]++, batch_, j++);
      if (cursors_[best] >= buffers_[best].size) break;
    }
  }
  return j;
}

flowgen_stats Generator::stats() const {
  flowgen_stats s{};
  s.flows_generated = emitted_;
  s.packets_generated = packets_;
  s.bytes_generated = bytes_;
  s.first_timestamp_ns = start_ns_;
  s.last_timestamp_ns =
      start_ns_ + uint64_t((static_cast<u128>(bytes_) * ns_per_byte_q32_) >> 32);
  s.seed = seed_;
  for (const auto& stream : streams_) s.pending_responses += stream->pending();
  s.simulated_seconds = double(s.last_timestamp_ns - s.first_timestamp_ns) / 1e9;
  s.wall_seconds = wall_seconds_;
  s.flows_per_second = wall_seconds_ > 0 ? double(emitted_) / wall_seconds_ : 0;
  return s;
}

std::vector<uint8_t> Generator::checkpoint() const {
  ByteWriter w;
  w.u64(seed_);
  w.u64(start_ns_);
  w.u64(emitted_);
  w.u64(packets_);
  w.u64(bytes_);
  w.u32(uint32_t(streams_.size()));
  for (size_t t = 0; t < streams_.size(); ++t) {
    if (!pool_) {
      streams_[t]->save(w);
      continue;
    }
    w.u32(uint32_t(fill_states_[t].size()));
    w.raw(fill_states_[t].data(), fill_states_[t].size());
    w.u32(buffers_[t].size);
    w.u32(cursors_[t]);
  }
  return seal_blob(kMagic, kFormatVersion, fingerprint_, w.bytes());
}

void Generator::restore(const uint8_t* blob, size_t size) {
  const BlobPayload payload =
      open_blob("generator checkpoint", kMagic, kFormatVersion, fingerprint_, blob, size);
  ByteReader r(payload.data, payload.size);
  const uint64_t seed = r.u64(), start = r.u64();
  const uint64_t emitted = r.u64(), packets = r.u64(), bytes = r.u64();
  if (r.u32() != streams_.size())
    throw Error(FLOWGEN_ERR_CHECKPOINT, "generator checkpoint: stream count differs");
  // Parse into fresh streams first so that a bad blob leaves this generator untouched.
  std::vector<std::unique_ptr<RecordStream>> streams;
  std::vector<std::vector<uint8_t>> states(pool_ ? streams_.size() : 0);
  std::vector<uint32_t> fills(states.size()), cursors(states.size());
  for (size_t t = 0; t < streams_.size(); ++t) {
    auto stream = std::make_unique<RecordStream>(*streams_[t]);
    if (!pool_) {
      stream->load(r);
    } else {
      const uint32_t state_size = r.u32();
      if (state_size > r.remaining())
        throw Error(FLOWGEN_ERR_CHECKPOINT, "generator checkpoint: state truncated");
      states[t].resize(state_size);
      r.raw(states[t].data(), state_size);
      fills[t] = r.u32();
      cursors[t] = r.u32();
      if (fills[t] > buffers_[t].capacity || cursors[t] > fills[t])
        throw Error(FLOWGEN_ERR_CHECKPOINT, "generator checkpoint: bad buffer position");
      ByteReader state(states[t].data(), states[t].size());
      stream->load(state);
      state.expect_end();
    }
    streams.push_back(std::move(stream));
  }
  r.expect_end();
  seed_ = seed;
  start_ns_ = start;
  emitted_ = emitted;
  packets_ = packets;
  bytes_ = bytes;
  streams_ = std::move(streams);
  batch_.size = 0;
  // Worker-thread mode: replay each stream's last buffer fill and skip what was merged.
  for (size_t t = 0; t < states.size(); ++t) {
    buffers_[t].size = fills[t] ? streams_[t]->fill(buffers_[t], 0, fills[t]) : 0;
    cursors_[t] = cursors[t];
    fill_states_[t] = std::move(states[t]);
  }
}

}  // namespace flowgen::detail
