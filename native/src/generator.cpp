#include "generator.hpp"

#include <algorithm>
#include <chrono>
#include <random>

#include "abi_guard.hpp"
#include "column_sums.hpp"

namespace flowgen::detail {

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
  // Resource limit: every thread holds batch-sized buffers; refuse before allocating.
  if (uint64_t(config.threads) * config.batch_size > FLOWGEN_MAX_THREAD_RECORDS)
    throw Error(FLOWGEN_ERR_NO_MEMORY,
                "generation: threads " + std::to_string(config.threads) + " x batch_size " +
                    std::to_string(config.batch_size) + " exceeds the resource limit of " +
                    std::to_string(FLOWGEN_MAX_THREAD_RECORDS) + " buffered records");
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
  streams_[0]->prepare(batch_);
  if (threads > 1) {
    const uint32_t buffer = lane_records();
    for (uint32_t t = 0; t < threads; ++t)
      lanes_.push_back(
          std::make_unique<StreamLane>(*streams_[t], buffer, &plan_->pattern_names));
    merge_lane_.assign(config.batch_size, 0);
    merge_index_.assign(config.batch_size, 0);
  }
  rewind_streams();
}

Generator::~Generator() = default;

uint32_t Generator::lane_records() {
  // Each worker fills, then encodes, one lane buffer: its columns and rows (~0.5 MB at 4096
  // records) stay in the core's L2 cache. Before lanes filled only the columns their rows
  // read, lanes of 16384 records spilled to L3 and cost more CPU per record; since then,
  // 2048, 8192 and 16384 were no better than 4096 in interleaved runs (28 Nov).
  return 4096;
}

void Generator::rewind_streams() {
  for (auto& lane : lanes_) lane->quiesce();
  for (auto& stream : streams_) stream->rewind(seed_, start_ns_);
  for (auto& lane : lanes_) lane->restart();
  emitted_ = packets_ = bytes_ = 0;
  ended_ = false;
  live_.resize(lanes_.size());
  for (uint32_t t = 0; t < live_.size(); ++t) live_[t] = t;
  batch_.size = 0;
}

void Generator::reset() {
  rewind_streams();
  wall_seconds_ = 0;
}

uint32_t Generator::next_batch(uint32_t max_records, ColumnSet columns) {
  const auto t0 = std::chrono::steady_clock::now();
  if (lane_rows_) set_lane_rows(nullptr);  // rows nobody copies would cost the workers
  uint64_t n = std::min(max_records, batch_.capacity);
  n = std::min<uint64_t>(n, limit_ - emitted_);
  if (ended_) n = 0;
  uint32_t count = 0;
  if (!lanes_.empty()) {
    count = merge_threads(uint32_t(n));
  } else {
    count = streams_[0]->fill(batch_, 0, uint32_t(n), columns);
    ended_ = streams_[0]->clock_ended();
  }
  batch_.size = count;
  emitted_ += count;
  count_records(batch_, 0, count);
  wall_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return count;
}

void Generator::count_records(const Batch& b, uint32_t from, uint32_t to) {
  if (plan_->packet_fast_path) {
    bytes_ += sum_u16(b.length.data() + from, to - from);
    packets_ += to - from;
    return;
  }
  // Local sums: the columns may alias the members as far as the compiler knows, which would
  // store the members once per record.
  const uint64_t* const bytes_col = b.bytes.data();
  const uint32_t* const packets_col = b.packets.data();
  uint64_t bytes = 0, packets = 0;
  for (uint32_t k = from; k < to; ++k) bytes += bytes_col[k];
  for (uint32_t k = from; k < to; ++k) packets += packets_col[k];
  bytes_ += bytes;
  packets_ += packets;
}

void Generator::set_lane_rows(std::shared_ptr<const LaneRowSpec> spec) {
  if (lanes_.empty()) throw Error(FLOWGEN_ERR_INTERNAL, "lane rows without worker threads");
  for (auto& lane : lanes_) lane->set_rows(spec);
  lane_rows_ = std::move(spec);
}

uint32_t Generator::next_rows(uint32_t max_records, RowBuffer& out) {
  if (!lane_rows_) throw Error(FLOWGEN_ERR_INTERNAL, "next_rows without lane rows");
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t n = std::min(max_records, batch_.capacity);
  n = std::min<uint64_t>(n, limit_ - emitted_);
  const uint32_t count = n == 0 || ended_ ? 0 : merge_rows(uint32_t(n), out);
  batch_.size = 0;  // the columns were not filled
  emitted_ += count;
  wall_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return count;
}

flowgen_stats Generator::stats() const {
  flowgen_stats s{};
  s.flows_generated = emitted_;
  s.packets_generated = packets_;
  s.bytes_generated = bytes_;
  s.first_timestamp_ns = start_ns_;
  const u128 span_ns = (static_cast<u128>(bytes_) * ns_per_byte_q32_) >> 32;
  s.last_timestamp_ns =
      span_ns > UINT64_MAX - start_ns_ ? UINT64_MAX : start_ns_ + uint64_t(span_ns);
  s.seed = seed_;
  if (lanes_.empty()) s.pending_responses = streams_[0]->pending();
  for (const auto& lane : lanes_) s.pending_responses += lane->pending();
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
    if (lanes_.empty()) {
      streams_[t]->save(w);
      continue;
    }
    const StreamLane& lane = *lanes_[t];
    w.u32(uint32_t(lane.front_state().size()));
    w.raw(lane.front_state().data(), lane.front_state().size());
    w.u32(lane.front_size());
    w.u32(lane.cursor());
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
  if (emitted > limit_)  // next_batch computes limit_ - emitted_
    throw Error(FLOWGEN_ERR_CHECKPOINT, "generator checkpoint: " + std::to_string(emitted) +
                                            " records emitted, more than max_flows");
  // Parse into fresh copies first so that a bad blob leaves this generator untouched.
  for (auto& lane : lanes_) lane->quiesce();
  std::vector<std::unique_ptr<RecordStream>> parsed;
  std::vector<std::vector<uint8_t>> states(lanes_.size());
  std::vector<uint32_t> fills(lanes_.size()), cursors(lanes_.size());
  for (size_t t = 0; t < streams_.size(); ++t) {
    auto stream = std::make_unique<RecordStream>(*streams_[t]);
    if (lanes_.empty()) {
      stream->load(r);
    } else {
      const uint32_t state_size = r.u32();
      if (state_size > r.remaining())
        throw Error(FLOWGEN_ERR_CHECKPOINT, "generator checkpoint: state truncated");
      states[t].resize(state_size);
      r.raw(states[t].data(), state_size);
      fills[t] = r.u32();
      cursors[t] = r.u32();
      // Up to the lane size of earlier versions, max(batch size, 4096): restore grows the
      // front buffer for such a blob.
      if (fills[t] > std::max(lanes_[t]->capacity(), batch_.capacity) || cursors[t] > fills[t])
        throw Error(FLOWGEN_ERR_CHECKPOINT, "generator checkpoint: bad buffer position");
      ByteReader state(states[t].data(), states[t].size());
      stream->load(state);
      state.expect_end();
      // A worker stream has no limit (the merge stops), so it ends only at the end of the
      // clock, where the merge ends too.
      if (stream->finished() && !stream->out_of_time())
        throw Error(FLOWGEN_ERR_CHECKPOINT,
                    "generator checkpoint: worker stream " + std::to_string(t) + " has ended");
    }
    parsed.push_back(std::move(stream));
  }
  r.expect_end();
  seed_ = seed;
  start_ns_ = start;
  emitted_ = emitted;
  packets_ = packets;
  bytes_ = bytes;
  ended_ = lanes_.empty() && parsed[0]->clock_ended();
  live_.resize(lanes_.size());  // a lane at the end of the clock leaves again on its own
  for (uint32_t t = 0; t < live_.size(); ++t) live_[t] = t;
  batch_.size = 0;
  if (lanes_.empty()) {
    // Lanes hold references to the streams: only the single-stream case swaps objects.
    streams_ = std::move(parsed);
    return;
  }
  for (size_t t = 0; t < lanes_.size(); ++t) {
    lanes_[t]->restore(std::move(states[t]), fills[t], cursors[t]);
  }
}

}  // namespace flowgen::detail
