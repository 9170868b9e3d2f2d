// PendingResponses (pending_responses.hpp): the bounded queue of bidirectional responses.
// Pops must come in (timestamp, sequence) order whatever the push order, slots written in
// place must come back intact, and a save/load round trip must keep the pop order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "pending_responses.hpp"
#include "rng.hpp"

namespace flowgen::detail {
namespace {

// Writes every field through reserve() (as the generator does), derived from the sequence
// so that a record read back can be checked field by field.
void push_record(PendingResponses& q, uint64_t timestamp, uint64_t sequence) {
  PendingRecord& r = q.reserve();
  r.timestamp_ns = timestamp;
  r.duration_ns = sequence * 3;
  r.bytes = sequence * 5 + 40;
  r.flow_id = sequence + 1000;
  r.sequence = sequence;
  r.src_ip4 = uint32_t(sequence * 7);
  r.dst_ip4 = uint32_t(sequence * 11);
  r.packets = uint32_t(sequence % 9 + 1);
  r.src_port = uint16_t(sequence);
  r.dst_port = uint16_t(sequence >> 3);
  r.length = uint16_t(sequence % 1500);
  r.ip_version = sequence % 2 ? 6 : 4;
  r.protocol = uint8_t(sequence % 3);
  r.tcp_flags = uint8_t(sequence % 31);
  r.pattern = uint8_t(sequence % 5);
  for (int k = 0; k < 16; ++k) {
    r.src_ip6[k] = uint8_t(sequence + uint64_t(k));
    r.dst_ip6[k] = uint8_t(sequence * 2 + uint64_t(k));
  }
  q.commit();
}

void expect_record(const PendingRecord& r, uint64_t sequence) {
  EXPECT_EQ(r.sequence, sequence);
  EXPECT_EQ(r.duration_ns, sequence * 3);
  EXPECT_EQ(r.bytes, sequence * 5 + 40);
  EXPECT_EQ(r.flow_id, sequence + 1000);
  EXPECT_EQ(r.dst_ip4, uint32_t(sequence * 11));
  EXPECT_EQ(r.packets, uint32_t(sequence % 9 + 1));
  EXPECT_EQ(r.tcp_flags, uint8_t(sequence % 31));
  EXPECT_EQ(r.ip_version, sequence % 2 ? 6 : 4);
  EXPECT_EQ(r.src_ip6[15], uint8_t(sequence + 15));
  EXPECT_EQ(r.dst_ip6[0], uint8_t(sequence * 2));
}

TEST(PendingResponses, PopsInTimestampThenSequenceOrder) {
  PendingResponses q(1000);
  Rng rng(3);
  std::set<std::pair<uint64_t, uint64_t>> present;  // reference: (timestamp, sequence)
  // Interleave pushes and pops, with many equal timestamps (ties broken by sequence) and
  // slots reused after pops: every pop must be the smallest pair still present.
  uint64_t sequence = 0;
  auto pop_and_check = [&] {
    ASSERT_FALSE(present.empty());
    const PendingRecord& top = q.top();
    EXPECT_EQ(q.top_timestamp(), top.timestamp_ns);
    EXPECT_EQ(std::make_pair(top.timestamp_ns, top.sequence), *present.begin());
    expect_record(top, top.sequence);
    present.erase(present.begin());
    q.pop();
  };
  for (int round = 0; round < 200; ++round) {
    for (int k = 0; k < 5; ++k) {
      const uint64_t ts = 1'000'000 + rng.below(50);
      push_record(q, ts, sequence);
      present.emplace(ts, sequence);
      ++sequence;
    }
    for (int k = 0; k < 3; ++k) pop_and_check();
    ASSERT_EQ(q.size(), present.size());
  }
  while (!present.empty()) pop_and_check();
  EXPECT_TRUE(q.empty());
}

TEST(PendingResponses, MatchesASortedReferenceWithoutInterleaving) {
  PendingResponses q(4096);
  Rng rng(9);
  std::vector<std::pair<uint64_t, uint64_t>> expected;
  for (uint64_t s = 0; s < 4096; ++s) {
    const uint64_t ts = rng.below(1000);  // ties on purpose
    push_record(q, ts, s);
    expected.emplace_back(ts, s);
  }
  EXPECT_TRUE(q.full());
  std::sort(expected.begin(), expected.end());
  for (const auto& [ts, s] : expected) {
    ASSERT_FALSE(q.empty());
    EXPECT_EQ(q.top().timestamp_ns, ts);
    EXPECT_EQ(q.top().sequence, s);
    q.pop();
  }
  EXPECT_TRUE(q.empty());
}

TEST(PendingResponses, SaveLoadKeepsRecordsAndOrder) {
  PendingResponses q(512), restored(512);
  Rng rng(5);
  for (uint64_t s = 0; s < 300; ++s) push_record(q, 5000 + rng.below(100), s);
  for (int k = 0; k < 100; ++k) q.pop();  // free slots, so the pool has holes
  for (uint64_t s = 300; s < 400; ++s) push_record(q, 5000 + rng.below(100), s);
  ByteWriter w;
  q.save(w);
  ByteReader r(w.bytes().data(), w.bytes().size());
  restored.load(r);
  ASSERT_EQ(restored.size(), q.size());
  while (!q.empty()) {
    EXPECT_EQ(restored.top_timestamp(), q.top_timestamp());
    EXPECT_EQ(restored.top().sequence, q.top().sequence);
    expect_record(restored.top(), q.top().sequence);
    q.pop();
    restored.pop();
  }
  EXPECT_TRUE(restored.empty());
  // A blob holding more records than max_pending is refused.
  PendingResponses small(10);
  ByteReader again(w.bytes().data(), w.bytes().size());
  EXPECT_THROW(small.load(again), Error);
}

}  // namespace
}  // namespace flowgen::detail
