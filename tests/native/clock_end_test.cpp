// The end of the clock: timestamps are u64 nanoseconds, so generation stops before a record
// would pass 2^64 - 1 ns, and responses due after it are not created. Every mode ends there
// in order (no wrap), says it is done, and resumes from a checkpoint to the same end.
// (The packet fast path's exact timeline at the end is in packet_timeline_test.cpp.)
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core_test_support.hpp"

using namespace flowgen_test;

namespace {

constexpr uint64_t kLastNs = ~uint64_t(0);

struct Mode {
  bool flow = false;
  double bidirectional = 0;
  uint32_t threads = 1;
};

void PrintTo(const Mode& m, std::ostream* os) {
  *os << (m.flow ? "flow" : "packet") << ", bidirectional " << m.bidirectional << ", threads "
      << m.threads;
}

ConfigPtr near_the_end(const Mode& m, uint64_t before_end_ns) {
  ConfigPtr c = brief_config(11);
  flowgen_config_set_start_timestamp_ns(c.get(), kLastNs - before_end_ns);
  flowgen_config_set_bandwidth_gbps(c.get(), 1.0);
  if (m.flow) flowgen_config_set_flow_model(c.get(), FLOWGEN_MODEL_FLOW);
  if (m.bidirectional > 0) flowgen_config_set_bidirectional(c.get(), m.bidirectional);
  if (m.threads > 1) flowgen_config_set_threads(c.get(), m.threads);
  return c;
}

// Drains the generator in batches of `batch`; the records must be in timestamp order (a
// wrap past 2^64 would break it, the start being close to the end) and the generator done.
std::vector<Record> drain(flowgen_generator* g, uint32_t batch) {
  std::vector<Record> out;
  for (int32_t n; (n = flowgen_generator_next_batch(g, batch)) > 0;) {
    for (int32_t i = 0; i < n; ++i) out.push_back(record_at(g, uint32_t(i)));
  }
  EXPECT_STREQ(flowgen_generator_error(g), "");
  for (size_t i = 1; i < out.size(); ++i) {
    EXPECT_LE(out[i - 1].timestamp_ns, out[i].timestamp_ns) << "record " << i;
    if (out[i - 1].timestamp_ns > out[i].timestamp_ns) break;
  }
  EXPECT_EQ(flowgen_generator_is_done(g), 1);
  EXPECT_EQ(flowgen_generator_next_batch(g, batch), 0) << flowgen_generator_error(g);
  return out;
}

class ClockEnd : public ::testing::TestWithParam<Mode> {};

// The time before the end: at 1 Gbit/s a few hundred records in packet mode, and in flow
// mode (flows of kilobytes to megabytes) thousands of flows, with RTTs of milliseconds.
uint64_t window_ns(const Mode& m) { return m.flow ? 10000000000 : 2000000; }

TEST_P(ClockEnd, EndsInOrderAndSaysDone) {
  const uint64_t window = window_ns(GetParam());
  ConfigPtr c = near_the_end(GetParam(), window);
  GeneratorPtr g = make_generator(c.get());
  const std::vector<Record> records = drain(g.get(), 1000);
  ASSERT_GT(records.size(), 100u);
  EXPECT_GE(records.front().timestamp_ns, kLastNs - window);
  // The whole span was used: the last request starts close to the end (a flow of megabytes
  // takes tens of milliseconds at 1 Gbit/s, more in a thread's share of it).
  uint64_t last_request = 0;
  for (const Record& r : records)
    if (r.direction == 0) last_request = r.timestamp_ns;
  EXPECT_GT(last_request, kLastNs - window / 5);
  if (GetParam().bidirectional > 0) {
    size_t responses = 0;
    for (const Record& r : records) responses += r.direction == 1;
    EXPECT_GT(responses, 0u);
  }
  // reset replays the same records up to the same end.
  ASSERT_EQ(flowgen_generator_reset(g.get()), FLOWGEN_OK);
  EXPECT_EQ(drain(g.get(), 777), records);
}

TEST_P(ClockEnd, ResumesToTheSameEnd) {
  ConfigPtr c = near_the_end(GetParam(), window_ns(GetParam()));
  GeneratorPtr whole = make_generator(c.get());
  const std::vector<Record> expected = drain(whole.get(), 500);
  ASSERT_GT(expected.size(), 100u);
  for (const uint64_t k : {uint64_t(0), uint64_t(37), uint64_t(expected.size() - 3)}) {
    GeneratorPtr first = make_generator(c.get());
    std::vector<Record> got = take(first.get(), k, 64);
    ASSERT_EQ(got.size(), k);
    const std::vector<uint8_t> blob = checkpoint_of(first.get());
    GeneratorPtr resumed = make_generator(c.get());
    ASSERT_EQ(flowgen_generator_restore(resumed.get(), blob.data(), uint32_t(blob.size())), FLOWGEN_OK)
        << flowgen_generator_error(resumed.get());
    for (const Record& r : drain(resumed.get(), 300)) got.push_back(r);
    EXPECT_EQ(got, expected) << "checkpoint after " << k << " records";
  }
  // A checkpoint of the ended generator restores to an ended one.
  const std::vector<uint8_t> blob = checkpoint_of(whole.get());
  GeneratorPtr resumed = make_generator(c.get());
  ASSERT_EQ(flowgen_generator_restore(resumed.get(), blob.data(), uint32_t(blob.size())), FLOWGEN_OK)
      << flowgen_generator_error(resumed.get());
  EXPECT_TRUE(drain(resumed.get(), 100).empty());
}

INSTANTIATE_TEST_SUITE_P(Modes, ClockEnd,
                         ::testing::Values(Mode{false, 0, 1}, Mode{true, 0, 1},
                                           Mode{true, 0.6, 1}, Mode{false, 0.5, 1},
                                           Mode{false, 0, 2}, Mode{true, 0.6, 3}));

// Starting at the last nanosecond: the first request, at exactly 2^64 - 1, and nothing after;
// its response would be due later, so it is not created. With threads, one per lane: a lane
// that ends leaves the merge, the others' records are still merged.
TEST(ClockEndFirst, OnlyTheFirstRequestFitsAtTheLastNanosecond) {
  for (const Mode m : {Mode{false, 0, 1}, Mode{true, 1.0, 1}, Mode{true, 1.0, 2}}) {
    ConfigPtr c = near_the_end(m, 0);
    GeneratorPtr g = make_generator(c.get());
    const std::vector<Record> records = drain(g.get(), 16);
    ASSERT_EQ(records.size(), m.threads);
    for (const Record& r : records) {
      EXPECT_EQ(r.timestamp_ns, kLastNs);
      EXPECT_EQ(r.direction, 0);
    }
  }
}

// Stats stay within the clock too: the simulated end does not wrap.
TEST(ClockEndFirst, StatsDoNotWrap) {
  ConfigPtr c = near_the_end(Mode{}, 1000000);
  GeneratorPtr g = make_generator(c.get());
  drain(g.get(), 1000);
  flowgen_stats s{};
  ASSERT_EQ(flowgen_generator_stats(g.get(), &s, sizeof s), FLOWGEN_OK);
  EXPECT_GE(s.last_timestamp_ns, s.first_timestamp_ns);
  EXPECT_GE(s.simulated_seconds, 0.0);
}

// encode_next with threads (the workers encode rows, the merge copies them) ends at the
// same record as next_batch + encode.
TEST(ClockEndFirst, EncodeNextWithThreadsEndsLikeBatches) {
  ConfigPtr c = near_the_end(Mode{true, 0.6, 2}, 10000000000);
  std::string expected, got;
  for (const bool rows : {false, true}) {
    GeneratorPtr g = make_generator(c.get());
    flowgen_encoder* raw = nullptr;
    ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_CSV, &raw), FLOWGEN_OK);
    std::unique_ptr<flowgen_encoder, void (*)(flowgen_encoder*)> e(raw, flowgen_encoder_free);
    std::string& out = rows ? got : expected;
    for (;;) {
      int32_t n = 0;
      if (rows) {
        n = flowgen_encoder_encode_next(e.get(), g.get(), 300);
      } else {
        n = flowgen_generator_next_batch(g.get(), 300);
        if (n > 0) EXPECT_EQ(flowgen_encoder_encode(e.get(), g.get()), FLOWGEN_OK);
      }
      ASSERT_GE(n, 0) << flowgen_encoder_error(e.get()) << flowgen_generator_error(g.get());
      out.append(reinterpret_cast<const char*>(flowgen_encoder_data(e.get())),
                 flowgen_encoder_size(e.get()));
      ASSERT_EQ(flowgen_encoder_consume(e.get()), FLOWGEN_OK);
      if (n == 0) break;
    }
    EXPECT_EQ(flowgen_generator_is_done(g.get()), 1);
  }
  EXPECT_GT(expected.size(), 10000u);
  EXPECT_EQ(got, expected);
}

}  // namespace
