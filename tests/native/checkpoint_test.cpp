// Checkpoint/restore: for random k, k records + checkpoint + restore into a fresh generator
// continues exactly like an uninterrupted run; bad blobs are refused with a clear message.
#include "checkpoint.hpp"
#include "core_test_support.hpp"
#include "rng.hpp"

using namespace flowgen_test;

namespace {

ConfigPtr config_for_mode(int mode) {
  auto c = brief_config(1234, 60000);
  if (mode == 1) {  // bidirectional: pending responses are part of the state
    flowgen_config_set_bidirectional(c.get(), 0.7);
    flowgen_config_add_source_subnet(c.get(), "2001:db8::/32");
    flowgen_config_add_destination_subnet(c.get(), "2001:db8:ff::/48");
    const double w[] = {50, 30, 20};
    flowgen_config_set_source_weights(c.get(), w, 3);
  }
  if (mode == 2) flowgen_config_set_threads(c.get(), 2);
  if (mode == 3) flowgen_config_set_shard(c.get(), 1, 3);
  return c;
}

}  // namespace

TEST(Checkpoint, ResumeContinuesTheUninterruptedRun) {
  flowgen::detail::Rng pick(20240101);
  for (int mode = 0; mode < 4; ++mode) {
    auto c = config_for_mode(mode);
    auto whole = make_generator(c.get());
    const auto expected = take(whole.get(), 60000, 4096);
    ASSERT_FALSE(expected.empty());
    for (int trial = 0; trial < 4; ++trial) {
      const uint32_t k = pick.below(uint32_t(expected.size()));
      auto first = make_generator(c.get());
      auto head = take(first.get(), k, 1000 + pick.below(5000));
      ASSERT_EQ(head.size(), k);
      const auto blob = checkpoint_of(first.get());
      auto resumed = make_generator(c.get());
      ASSERT_EQ(flowgen_generator_restore(resumed.get(), blob.data(), uint32_t(blob.size())),
                FLOWGEN_OK)
          << flowgen_generator_error(resumed.get());
      const auto tail = take(resumed.get(), expected.size(), 2048 + pick.below(4000));
      ASSERT_EQ(k + tail.size(), expected.size()) << "mode " << mode << " k " << k;
      for (size_t i = 0; i < k; ++i) ASSERT_TRUE(head[i] == expected[i]);
      for (size_t i = 0; i < tail.size(); ++i)
        ASSERT_TRUE(tail[i] == expected[k + i]) << "mode " << mode << " k " << k << " i " << i;
      flowgen_stats s1{}, s2{};
      flowgen_generator_stats(whole.get(), &s1, sizeof s1);
      flowgen_generator_stats(resumed.get(), &s2, sizeof s2);
      EXPECT_EQ(s1.bytes_generated, s2.bytes_generated);
      EXPECT_EQ(s1.flows_generated, s2.flows_generated);
      EXPECT_EQ(flowgen_generator_is_done(resumed.get()), 1);
    }
  }
}

TEST(Checkpoint, RandomSeedTravelsInTheBlob) {
  ConfigPtr c(flowgen_config_new());
  flowgen_config_add_source_subnet(c.get(), "192.168.1.0/24");
  flowgen_config_add_destination_subnet(c.get(), "10.0.0.0/8");
  flowgen_config_add_pattern(c.get(), "ssh_traffic", 100);
  auto a = make_generator(c.get());
  take(a.get(), 5000);
  const auto blob = checkpoint_of(a.get());
  const auto more = take(a.get(), 5000);
  auto b = make_generator(c.get());  // another random seed and start until restored
  ASSERT_EQ(flowgen_generator_restore(b.get(), blob.data(), uint32_t(blob.size())), FLOWGEN_OK);
  const auto resumed = take(b.get(), 5000);
  for (size_t i = 0; i < more.size(); ++i) ASSERT_TRUE(more[i] == resumed[i]) << i;
}

TEST(Checkpoint, BadBlobsAreRefusedClearly) {
  auto c = brief_config(5);
  auto g = make_generator(c.get());
  take(g.get(), 1000);
  const auto blob = checkpoint_of(g.get());
  const auto next = take(g.get(), 10);
  auto fresh = make_generator(c.get());
  auto expect_refused = [&](std::vector<uint8_t> bad, const std::string& fragment) {
    EXPECT_EQ(flowgen_generator_restore(fresh.get(), bad.data(), uint32_t(bad.size())),
              FLOWGEN_ERR_CHECKPOINT);
    EXPECT_NE(std::string(flowgen_generator_error(fresh.get())).find(fragment), std::string::npos)
        << flowgen_generator_error(fresh.get());
  };
  for (size_t pos : {size_t(0), size_t(9), blob.size() / 2, blob.size() - 1}) {
    auto corrupt = blob;
    corrupt[pos] ^= 0x5a;
    expect_refused(corrupt, pos == 0 ? "bad magic" : "");
  }
  auto flipped = blob;
  flipped[blob.size() / 2] ^= 1;
  expect_refused(flipped, "checksum mismatch");
  expect_refused(std::vector<uint8_t>(blob.begin(), blob.end() - 3), "truncated");
  expect_refused({}, "too short");
  expect_refused(std::vector<uint8_t>(blob.begin(), blob.begin() + 10), "too short");
  // Another format version with a valid checksum.
  auto other_version = blob;
  other_version[4] = 99;
  const uint64_t sum = flowgen::detail::fnv1a64(other_version.data(), other_version.size() - 8);
  for (int i = 0; i < 8; ++i) other_version[other_version.size() - 8 + size_t(i)] = uint8_t(sum >> (8 * i));
  expect_refused(other_version, "format version 99");
  // A blob of another config.
  auto other = brief_config(6);
  auto g6 = make_generator(other.get());
  take(g6.get(), 10);
  expect_refused(checkpoint_of(g6.get()), "another configuration");
  // The refused restores left `fresh` untouched: it still starts at the first record.
  auto reference = make_generator(c.get());
  EXPECT_TRUE(take(fresh.get(), 1)[0] == take(reference.get(), 1)[0]);
  // And the good blob still works.
  ASSERT_EQ(flowgen_generator_restore(fresh.get(), blob.data(), uint32_t(blob.size())), FLOWGEN_OK);
  EXPECT_TRUE(take(fresh.get(), 10)[9] == next[9]);
}

namespace {

// Overwrites a little-endian u64 of a generator blob and seals it again (checksum), as a
// crafted blob would be: the envelope is fine, the state inside is not.
constexpr size_t kHeader = 4 + 4 + 8 + 4;

std::vector<uint8_t> resealed(std::vector<uint8_t> blob) {
  const uint64_t sum = flowgen::detail::fnv1a64(blob.data(), blob.size() - 8);
  for (int i = 0; i < 8; ++i) blob[blob.size() - 8 + size_t(i)] = uint8_t(sum >> (8 * i));
  return blob;
}

std::vector<uint8_t> with_u64(std::vector<uint8_t> blob, size_t payload_offset, uint64_t v) {
  for (int i = 0; i < 8; ++i) blob[kHeader + payload_offset + size_t(i)] = uint8_t(v >> (8 * i));
  return resealed(std::move(blob));
}

// Payload offsets: seed, start, emitted, packets, bytes (u64 each), stream count (u32);
// then per stream start, rng, timeline hi, lo, produced, flow and pending sequence (u64),
// the pending count (u32) and the pending records. With threads each stream's state is
// preceded by its size (u32).
constexpr size_t kEmittedAt = 16, kStreamAt = 44, kProducedAt = 32, kPendingCountAt = 56;

void expect_refused(flowgen_generator* g, const std::vector<uint8_t>& blob,
                    const std::string& fragment) {
  EXPECT_EQ(flowgen_generator_restore(g, blob.data(), uint32_t(blob.size())),
            FLOWGEN_ERR_CHECKPOINT);
  EXPECT_NE(std::string(flowgen_generator_error(g)).find(fragment), std::string::npos)
      << flowgen_generator_error(g);
}

}  // namespace

// Regression for the checkpoint_fuzz timeout (tests/fuzz/findings/): a sealed blob whose
// worker stream had "produced" 2^64 - 1 records restored fine, then next_batch waited
// forever for that lane's records. Such states are now refused at restore.
TEST(Checkpoint, SealedButInconsistentStatesAreRefused) {
  {
    auto c = config_for_mode(2);  // two worker threads
    auto g = make_generator(c.get());
    take(g.get(), 5000);
    const auto blob = checkpoint_of(g.get());
    auto fresh = make_generator(c.get());
    const size_t lane0 = kStreamAt + 4;  // after the state size
    const size_t produced = lane0 + kProducedAt;
    expect_refused(fresh.get(), with_u64(blob, produced, UINT64_MAX), "counters disagree");
    // Consistent counters, but the stream has ended: its lane could never refill.
    expect_refused(fresh.get(), with_u64(with_u64(blob, produced, UINT64_MAX), produced + 8,
                                         UINT64_MAX),
                   "worker stream 0 has ended");
    // The refusals left the generator usable: it still restores the real blob and runs.
    ASSERT_EQ(flowgen_generator_restore(fresh.get(), blob.data(), uint32_t(blob.size())),
              FLOWGEN_OK);
    EXPECT_EQ(take(fresh.get(), 1000).size(), 1000u);
  }
  {
    auto c = config_for_mode(1);  // one stream, pending responses in the state
    auto g = make_generator(c.get());
    take(g.get(), 5000);
    const auto blob = checkpoint_of(g.get());
    auto fresh = make_generator(c.get());
    expect_refused(fresh.get(), with_u64(blob, kEmittedAt, 60001), "more than max_flows");
    const size_t produced = kStreamAt + kProducedAt;
    expect_refused(fresh.get(), with_u64(blob, produced, 70000), "records produced");
    const uint8_t* count = &blob[kHeader + kStreamAt + kPendingCountAt];
    ASSERT_GT(count[0] | count[1] << 8 | count[2] << 16 | count[3] << 24, 0) << "no pending";
    // The first pending record: five u64, three u32, three u16, then version, protocol,
    // flags and pattern (u8).
    const size_t record = kHeader + kStreamAt + kPendingCountAt + 4;
    const size_t version_at = record + 40 + 12 + 6, pattern_at = version_at + 3;
    auto bad_pattern = blob;
    bad_pattern[pattern_at] = 200;
    expect_refused(fresh.get(), resealed(bad_pattern), "pattern out of range");
    auto bad_version = blob;
    bad_version[version_at] = 5;
    expect_refused(fresh.get(), resealed(bad_version), "IP version");
    ASSERT_EQ(flowgen_generator_restore(fresh.get(), blob.data(), uint32_t(blob.size())),
              FLOWGEN_OK);
  }
}

TEST(Checkpoint, ByteWriterAndReaderRoundTrip) {
  flowgen::detail::ByteWriter w;
  w.u8(7);
  w.u16(0xbeef);
  w.u32(0xdeadbeef);
  w.u64(0x0123456789abcdefULL);
  w.f64(-2.5);
  w.str("flowgen");
  const char magic[4] = {'T', 'E', 'S', 'T'};
  const auto blob = flowgen::detail::seal_blob(magic, 3, 42, w.bytes());
  const auto payload = flowgen::detail::open_blob("test blob", magic, 3, 42, blob.data(), blob.size());
  flowgen::detail::ByteReader r(payload.data, payload.size);
  EXPECT_EQ(r.u8(), 7);
  EXPECT_EQ(r.u16(), 0xbeef);
  EXPECT_EQ(r.u32(), 0xdeadbeefu);
  EXPECT_EQ(r.u64(), 0x0123456789abcdefULL);
  EXPECT_EQ(r.f64(), -2.5);
  EXPECT_EQ(r.str(), "flowgen");
  r.expect_end();
  EXPECT_THROW(r.u8(), flowgen::detail::Error);
  EXPECT_THROW(flowgen::detail::open_blob("test blob", magic, 3, 43, blob.data(), blob.size()),
               flowgen::detail::Error);
}
