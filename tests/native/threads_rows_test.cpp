// flowgen_encoder_encode_next with worker threads: the workers encode their own rows and the
// merge copies them (lane_rows.hpp). Its bytes must equal the encoding of the merged record
// sequence (next_batch + encode on an identical generator), for every text format, field
// list, thread count and batch split, across checkpoints, and when mixed with next_batch.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "checkpoint.hpp"
#include "core_test_support.hpp"

using namespace flowgen_test;

namespace {

struct EncoderDeleter {
  void operator()(flowgen_encoder* e) const { flowgen_encoder_free(e); }
};
using EncoderPtr = std::unique_ptr<flowgen_encoder, EncoderDeleter>;

struct Output {
  int32_t format = FLOWGEN_FORMAT_CSV;
  const char* fields = nullptr;  // null: the format's default
  int64_t header = 1;
};

EncoderPtr make_encoder(const Output& o) {
  flowgen_encoder* e = nullptr;
  EXPECT_EQ(flowgen_encoder_new(o.format, &e), FLOWGEN_OK);
  if (o.fields) EXPECT_EQ(flowgen_encoder_set_fields(e, o.fields), FLOWGEN_OK);
  EXPECT_EQ(flowgen_encoder_set_param(e, FLOWGEN_PARAM_CSV_HEADER, o.header), FLOWGEN_OK);
  return EncoderPtr(e);
}

std::string take_bytes(flowgen_encoder* e) {
  const std::string bytes(reinterpret_cast<const char*>(flowgen_encoder_data(e)),
                          flowgen_encoder_size(e));
  EXPECT_EQ(flowgen_encoder_consume(e), FLOWGEN_OK);
  return bytes;
}

// The reference: the merged records through next_batch, then encoded.
std::string encode_batches(flowgen_config* c, const Output& o, uint32_t batch) {
  auto g = make_generator(c);
  auto e = make_encoder(o);
  std::string out;
  while (true) {
    const int32_t n = flowgen_generator_next_batch(g.get(), batch);
    EXPECT_GE(n, 0) << flowgen_generator_error(g.get());
    if (n <= 0) break;
    EXPECT_EQ(flowgen_encoder_encode(e.get(), g.get()), FLOWGEN_OK);
    out += take_bytes(e.get());
  }
  EXPECT_EQ(flowgen_encoder_finish(e.get()), FLOWGEN_OK);
  return out + take_bytes(e.get());
}

// Encodes with encode_next until the generator is done; returns the records it reported.
uint64_t encode_next_all(flowgen_generator* g, flowgen_encoder* e, uint32_t batch,
                         std::string& out) {
  uint64_t records = 0;
  while (true) {
    const int32_t n = flowgen_encoder_encode_next(e, g, batch);
    EXPECT_GE(n, 0) << flowgen_encoder_error(e);
    if (n <= 0) break;
    records += uint64_t(n);
    out += take_bytes(e);
  }
  return records;
}

std::string encode_next(flowgen_config* c, const Output& o, uint32_t batch,
                        uint64_t* records = nullptr) {
  auto g = make_generator(c);
  auto e = make_encoder(o);
  std::string out;
  const uint64_t n = encode_next_all(g.get(), e.get(), batch, out);
  if (records) *records = n;
  EXPECT_EQ(flowgen_encoder_finish(e.get()), FLOWGEN_OK);
  return out + take_bytes(e.get());
}

// Flow model, responses and IPv6: rows of varied lengths, and lanes holding pending records.
ConfigPtr rich_config(uint64_t seed, uint64_t max_flows, uint32_t threads) {
  auto c = brief_config(seed, max_flows);
  flowgen_config_set_flow_model(c.get(), FLOWGEN_MODEL_FLOW);
  flowgen_config_set_bidirectional(c.get(), 0.5);
  flowgen_config_add_source_subnet(c.get(), "2001:db8::/32");
  flowgen_config_add_destination_subnet(c.get(), "2001:db8:ff::/48");
  const double w[] = {50, 30, 20};
  flowgen_config_set_source_weights(c.get(), w, 3);
  flowgen_config_set_threads(c.get(), threads);
  return c;
}

std::string temp_path(const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/flowgen_threads_rows_" + std::to_string(getpid()) +
         "_" + name;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream all;
  all << in.rdbuf();
  return all.str();
}

constexpr const char* kAllFields =
    "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length,packets,bytes,duration,"
    "tcp_flags,flow_id,direction,pattern,ip_version";

}  // namespace

TEST(ThreadRows, EncodeNextEqualsTheEncodingOfTheMergedRecords) {
  const Output outputs[] = {
      {FLOWGEN_FORMAT_CSV, nullptr, 1},
      {FLOWGEN_FORMAT_CSV, nullptr, 0},
      {FLOWGEN_FORMAT_CSV, kAllFields, 1},
      {FLOWGEN_FORMAT_JSONL, nullptr, 1},
      {FLOWGEN_FORMAT_JSONL, kAllFields, 1},
      {FLOWGEN_FORMAT_CSV, "protocol", 0},  // 2-3 byte rows: many per copy step
      {FLOWGEN_FORMAT_JSON, nullptr, 1},  // not lane rows: next_batch + encode inside
  };
  for (uint32_t threads : {2u, 3u}) {
    for (int rich = 0; rich < 2; ++rich) {
      auto c = rich ? rich_config(31, 70001, threads) : brief_config(31, 70001);
      flowgen_config_set_threads(c.get(), threads);
      flowgen_config_set_batch_size(c.get(), 5000);  // lanes refill several times
      for (const Output& o : outputs) {
        const std::string expected = encode_batches(c.get(), o, 5000);
        ASSERT_FALSE(expected.empty());
        for (uint32_t batch : {5000u, 777u}) {
          uint64_t records = 0;
          const std::string got = encode_next(c.get(), o, batch, &records);
          EXPECT_EQ(records, 70001u);
          ASSERT_EQ(got.size(), expected.size())
              << "threads " << threads << " rich " << rich << " format " << o.format;
          ASSERT_TRUE(got == expected)
              << "threads " << threads << " rich " << rich << " format " << o.format;
        }
      }
    }
  }
}

TEST(ThreadRows, SingleThreadAndPacketFormatsTakeTheBatchPath) {
  auto c = brief_config(5, 20000);
  for (uint32_t threads : {1u, 2u}) {
    flowgen_config_set_threads(c.get(), threads);
    for (int32_t format : {FLOWGEN_FORMAT_CSV, FLOWGEN_FORMAT_NETFLOW9, FLOWGEN_FORMAT_IPFIX}) {
      const Output o{format, nullptr, 1};
      EXPECT_TRUE(encode_next(c.get(), o, 3000) == encode_batches(c.get(), o, 3000))
          << "threads " << threads << " format " << format;
    }
  }
}

// One stream: encode_next fills only the columns its encoder reads (ColumnSet::lean when
// its fields need no bytes, flow id, TCP flags or pattern column), the same bytes and stats
// as a full fill, also where timestamps take the wide form (past 2^63) and when full
// next_batch calls follow lean fills.
TEST(ThreadRows, LeanFillOfOneStreamEncodesTheSameBytes) {
  const Output outputs[] = {
      {FLOWGEN_FORMAT_CSV, nullptr, 1},           {FLOWGEN_FORMAT_CSV, nullptr, 0},
      {FLOWGEN_FORMAT_JSONL, nullptr, 1},         {FLOWGEN_FORMAT_JSON, nullptr, 1},
      {FLOWGEN_FORMAT_CSV, kAllFields, 1},        {FLOWGEN_FORMAT_CSV, "timestamp,flow_id", 1},
      {FLOWGEN_FORMAT_JSONL, "length,tcp_flags", 1}, {FLOWGEN_FORMAT_CSV, "pattern,bytes", 1},
  };
  for (const uint64_t start : {kStartNs, (uint64_t(1) << 63) - 2000000}) {
    auto c = brief_config(17, 50001);
    flowgen_config_set_start_timestamp_ns(c.get(), start);
    for (const Output& o : outputs) {
      const std::string expected = encode_batches(c.get(), o, 4096);
      uint64_t records = 0;
      EXPECT_TRUE(encode_next(c.get(), o, 3000, &records) == expected)
          << "format " << o.format << " fields " << (o.fields ? o.fields : "default");
      EXPECT_EQ(records, 50001u);
    }
    // Stats, and full batches after lean ones: every column right again.
    auto a = make_generator(c.get()), b = make_generator(c.get());
    auto e = make_encoder({});
    for (int k = 0; k < 3; ++k) {
      ASSERT_EQ(flowgen_encoder_encode_next(e.get(), a.get(), 1000), 1000);
      ASSERT_EQ(flowgen_generator_next_batch(b.get(), 1000), 1000);
    }
    flowgen_stats sa{}, sb{};
    ASSERT_EQ(flowgen_generator_stats(a.get(), &sa, sizeof sa), FLOWGEN_OK);
    ASSERT_EQ(flowgen_generator_stats(b.get(), &sb, sizeof sb), FLOWGEN_OK);
    EXPECT_EQ(sa.bytes_generated, sb.bytes_generated);
    EXPECT_EQ(sa.packets_generated, sb.packets_generated);
    ASSERT_EQ(flowgen_generator_next_batch(a.get(), 1000), 1000);
    ASSERT_EQ(flowgen_generator_next_batch(b.get(), 1000), 1000);
    for (uint32_t i = 0; i < 1000; ++i) {
      ASSERT_TRUE(record_at(a.get(), i) == record_at(b.get(), i)) << "record " << i;
    }
  }
}

TEST(ThreadRows, CsvPatternNameWithALineBreakStaysCorrect) {
  // A quoted CSV cell holding '\n': the row ends come from the writer, not from a scan.
  auto c = brief_config(9, 30000);
  const int32_t p = flowgen_config_add_custom_pattern(c.get(), "two\nlines", 17, 0);
  ASSERT_GE(p, 0) << flowgen_config_error(c.get());
  ASSERT_EQ(flowgen_config_pattern_add_port(c.get(), p, 9999, 1), FLOWGEN_OK);
  flowgen_config_set_threads(c.get(), 2);
  const Output o{FLOWGEN_FORMAT_CSV, "timestamp,pattern", 1};
  EXPECT_TRUE(encode_next(c.get(), o, 4096) == encode_batches(c.get(), o, 4096));
}

TEST(ThreadRows, StatsMatchTheBatchPath) {
  auto c = rich_config(12, 50000, 2);
  auto a = make_generator(c.get()), b = make_generator(c.get());
  auto ea = make_encoder({}), eb = make_encoder({});
  std::string ignored;
  encode_next_all(a.get(), ea.get(), 4096, ignored);
  while (flowgen_generator_next_batch(b.get(), 4096) > 0) {
    ASSERT_EQ(flowgen_encoder_encode(eb.get(), b.get()), FLOWGEN_OK);
  }
  flowgen_stats sa{}, sb{};
  ASSERT_EQ(flowgen_generator_stats(a.get(), &sa, sizeof sa), FLOWGEN_OK);
  ASSERT_EQ(flowgen_generator_stats(b.get(), &sb, sizeof sb), FLOWGEN_OK);
  EXPECT_EQ(sa.flows_generated, 50000u);
  EXPECT_EQ(sa.flows_generated, sb.flows_generated);
  EXPECT_EQ(sa.packets_generated, sb.packets_generated);
  EXPECT_EQ(sa.bytes_generated, sb.bytes_generated);
  EXPECT_EQ(sa.last_timestamp_ns, sb.last_timestamp_ns);
  EXPECT_EQ(flowgen_generator_is_done(a.get()), 1);
  flowgen_encoder_stats_t xa{}, xb{};
  ASSERT_EQ(flowgen_encoder_stats(ea.get(), &xa, sizeof xa), FLOWGEN_OK);
  ASSERT_EQ(flowgen_encoder_stats(eb.get(), &xb, sizeof xb), FLOWGEN_OK);
  EXPECT_EQ(xa.records_encoded, xb.records_encoded);
  EXPECT_EQ(xa.bytes, xb.bytes);
}

TEST(ThreadRows, MixingNextBatchAndEncodeNextKeepsTheSequence) {
  auto c = brief_config(21, 40000);
  flowgen_config_set_threads(c.get(), 2);
  const Output o{};
  const std::string expected = encode_batches(c.get(), o, 2500);
  auto g = make_generator(c.get());
  auto e = make_encoder(o);
  std::string out;
  for (int round = 0; flowgen_generator_is_done(g.get()) == 0; ++round) {
    int32_t n;
    if (round % 3 == 2) {  // columns path in between: the lanes stop and restart rows
      n = flowgen_generator_next_batch(g.get(), 2500);
      ASSERT_GE(n, 0);
      ASSERT_EQ(flowgen_encoder_encode(e.get(), g.get()), FLOWGEN_OK);
    } else {
      n = flowgen_encoder_encode_next(e.get(), g.get(), 2500);
      ASSERT_GE(n, 0) << flowgen_encoder_error(e.get());
    }
    if (n == 0) break;
    out += take_bytes(e.get());
  }
  ASSERT_EQ(flowgen_encoder_finish(e.get()), FLOWGEN_OK);
  out += take_bytes(e.get());
  EXPECT_TRUE(out == expected);
}

// The brief's CSV reads few columns, so the lanes fill only those while it encodes. A
// next_batch after it must still see every column of every record (the lanes refill), for
// packet mode and for a flow model, at lane-buffer boundaries and inside a buffer.
TEST(ThreadRows, NextBatchAfterLeanRowsHasEveryColumn) {
  for (const bool flow : {false, true}) {
    for (const uint32_t first : {1u, 4096u, 6000u}) {
      auto c = flow ? rich_config(23, 0, 2) : brief_config(23, 0);
      flowgen_config_set_threads(c.get(), 2);
      auto reference = make_generator(c.get());
      const std::vector<Record> expected = take(reference.get(), first + 20000, 3000);
      auto g = make_generator(c.get());
      auto e = make_encoder(Output{});
      uint64_t done = 0;
      while (done < first) {
        const int32_t n = flowgen_encoder_encode_next(e.get(), g.get(), uint32_t(first - done));
        ASSERT_GT(n, 0) << flowgen_encoder_error(e.get());
        done += uint64_t(n);
      }
      const std::vector<Record> rest = take(g.get(), 20000, 3000);
      ASSERT_EQ(rest.size(), 20000u);
      for (size_t i = 0; i < rest.size(); ++i) {
        ASSERT_TRUE(rest[i] == expected[first + i])
            << "flow " << flow << ", first " << first << ", record " << first + i;
      }
    }
  }
}

TEST(ThreadRows, CheckpointInTheMiddleResumesTheSameBytes) {
  for (uint32_t threads : {2u, 3u}) {
    auto c = rich_config(44, 60000, threads);
    const Output o{};
    const std::string expected = encode_next(c.get(), o, 4000);
    for (uint32_t stop : {1u, 7u}) {  // batches before the checkpoint
      auto g = make_generator(c.get());
      auto e = make_encoder(o);
      std::string out;
      for (uint32_t k = 0; k < stop; ++k) {
        ASSERT_GT(flowgen_encoder_encode_next(e.get(), g.get(), 4000), 0);
        out += take_bytes(e.get());
      }
      uint32_t gsize = 0, esize = 0;
      flowgen_generator_checkpoint(g.get(), nullptr, 0, &gsize);
      flowgen_encoder_checkpoint(e.get(), nullptr, 0, &esize);
      std::vector<uint8_t> gblob(gsize), eblob(esize);
      ASSERT_EQ(flowgen_generator_checkpoint(g.get(), gblob.data(), gsize, nullptr), int32_t(gsize));
      ASSERT_EQ(flowgen_encoder_checkpoint(e.get(), eblob.data(), esize, nullptr), int32_t(esize));
      auto g2 = make_generator(c.get());
      auto e2 = make_encoder(o);
      ASSERT_EQ(flowgen_generator_restore(g2.get(), gblob.data(), gsize), FLOWGEN_OK)
          << flowgen_generator_error(g2.get());
      ASSERT_EQ(flowgen_encoder_restore(e2.get(), eblob.data(), esize), FLOWGEN_OK)
          << flowgen_encoder_error(e2.get());
      encode_next_all(g2.get(), e2.get(), 4000, out);
      ASSERT_EQ(flowgen_encoder_finish(e2.get()), FLOWGEN_OK);
      out += take_bytes(e2.get());
      EXPECT_TRUE(out == expected) << "threads " << threads << " stop " << stop;
    }
  }
}

TEST(ThreadRows, ResetReplaysTheSameBytes) {
  auto c = brief_config(3, 30000);
  flowgen_config_set_threads(c.get(), 2);
  auto g = make_generator(c.get());
  std::string first, second;
  auto e1 = make_encoder({});
  encode_next_all(g.get(), e1.get(), 3000, first);
  ASSERT_EQ(flowgen_generator_reset(g.get()), FLOWGEN_OK);
  auto e2 = make_encoder({});
  encode_next_all(g.get(), e2.get(), 3000, second);
  EXPECT_TRUE(first == second);
}

TEST(ThreadRows, NullArgumentsAreRefused) {
  auto c = brief_config(1, 10);
  auto g = make_generator(c.get());
  auto e = make_encoder({});
  EXPECT_EQ(flowgen_encoder_encode_next(nullptr, g.get(), 10), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_encode_next(e.get(), nullptr, 10), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(flowgen_encoder_error(e.get())).find("generator"), std::string::npos);
  ASSERT_EQ(flowgen_encoder_finish(e.get()), FLOWGEN_OK);
  EXPECT_EQ(flowgen_encoder_encode_next(e.get(), g.get(), 10), FLOWGEN_ERR_STATE);
}

TEST(ThreadRows, FileSinkWithAndWithoutWriterThreadAndFlushes) {
  auto c = rich_config(8, 90000, 2);
  const Output o{};
  const std::string expected = encode_batches(c.get(), o, 6000);
  for (int64_t writer : {0, 1}) {
    for (int64_t buffer : {int64_t(1) << 20, int64_t(5000)}) {  // few large / many small writes
      const std::string path = temp_path("sink.csv");
      auto g = make_generator(c.get());
      auto e = make_encoder(o);
      ASSERT_EQ(flowgen_encoder_set_param(e.get(), FLOWGEN_PARAM_WRITER_THREAD, writer), FLOWGEN_OK);
      ASSERT_EQ(flowgen_encoder_set_param(e.get(), FLOWGEN_PARAM_BUFFER_BYTES, buffer), FLOWGEN_OK);
      ASSERT_EQ(flowgen_encoder_open(e.get(), path.c_str(), 0), FLOWGEN_OK);
      for (int k = 0; true; ++k) {
        const int32_t n = flowgen_encoder_encode_next(e.get(), g.get(), 6000);
        ASSERT_GE(n, 0) << flowgen_encoder_error(e.get());
        if (n == 0) break;
        if (k % 4 == 1) {  // a checkpoint's flush: everything so far is in the file
          ASSERT_EQ(flowgen_encoder_flush(e.get()), FLOWGEN_OK);
          uint32_t needed = 0;
          flowgen_encoder_checkpoint(e.get(), nullptr, 0, &needed);
          std::vector<uint8_t> blob(needed);
          EXPECT_EQ(flowgen_encoder_checkpoint(e.get(), blob.data(), needed, nullptr),
                    int32_t(needed))
              << flowgen_encoder_error(e.get());
          flowgen_encoder_stats_t st{};
          ASSERT_EQ(flowgen_encoder_stats(e.get(), &st, sizeof st), FLOWGEN_OK);
          EXPECT_EQ(read_file(path).size(), st.bytes);
        }
      }
      ASSERT_EQ(flowgen_encoder_finish(e.get()), FLOWGEN_OK);
      const std::string got = read_file(path);
      std::remove(path.c_str());
      ASSERT_EQ(got.size(), expected.size()) << "writer " << writer << " buffer " << buffer;
      EXPECT_TRUE(got == expected) << "writer " << writer << " buffer " << buffer;
    }
  }
}

TEST(ThreadRows, CheckpointIsRefusedWhileRowsAreUnwritten) {
  auto c = brief_config(2, 50000);
  flowgen_config_set_threads(c.get(), 2);
  const std::string path = temp_path("unflushed.csv");
  auto g = make_generator(c.get());
  auto e = make_encoder({});
  ASSERT_EQ(flowgen_encoder_open(e.get(), path.c_str(), 0), FLOWGEN_OK);
  ASSERT_GT(flowgen_encoder_encode_next(e.get(), g.get(), 1000), 0);
  uint32_t needed = 0;
  EXPECT_EQ(flowgen_encoder_checkpoint(e.get(), nullptr, 0, &needed), FLOWGEN_ERR_STATE);
  EXPECT_NE(std::string(flowgen_encoder_error(e.get())).find("not yet written"), std::string::npos);
  ASSERT_EQ(flowgen_encoder_finish(e.get()), FLOWGEN_OK);
  std::remove(path.c_str());
}

// Earlier versions filled lanes of max(batch size, 4096) records; a blob of theirs may say
// a front buffer holds more records than today's lanes. Restore grows the buffer.
TEST(ThreadRows, RestoresABlobWithALargerLaneFill) {
  using namespace flowgen::detail;
  auto c = brief_config(17, 80000);
  flowgen_config_set_threads(c.get(), 2);
  const Output o{};
  const std::string expected = encode_next(c.get(), o, 16384);
  auto fresh = make_generator(c.get());
  uint32_t size = 0;
  flowgen_generator_checkpoint(fresh.get(), nullptr, 0, &size);
  std::vector<uint8_t> blob(size);
  ASSERT_EQ(flowgen_generator_checkpoint(fresh.get(), blob.data(), size, nullptr), int32_t(size));
  // Envelope: magic, version, fingerprint, payload size, payload, checksum.
  const char magic[4] = {char(blob[0]), char(blob[1]), char(blob[2]), char(blob[3])};
  uint32_t version = 0;
  uint64_t fingerprint = 0;
  std::memcpy(&version, blob.data() + 4, 4);
  std::memcpy(&fingerprint, blob.data() + 8, 8);
  const BlobPayload payload =
      open_blob("test", magic, version, fingerprint, blob.data(), blob.size());
  // A fresh run: front buffers empty at their rewind states. Say they hold 10000 records,
  // none read yet: the same position, as a 16384-record lane would have stored it.
  ByteReader r(payload.data, payload.size);
  ByteWriter w;
  for (int k = 0; k < 5; ++k) w.u64(r.u64());
  const uint32_t streams = r.u32();
  w.u32(streams);
  for (uint32_t t = 0; t < streams; ++t) {
    const uint32_t state_size = r.u32();
    std::vector<uint8_t> state(state_size);
    r.raw(state.data(), state_size);
    ASSERT_EQ(r.u32(), 0u);  // fill
    ASSERT_EQ(r.u32(), 0u);  // cursor
    w.u32(state_size);
    w.raw(state.data(), state_size);
    w.u32(10000);
    w.u32(0);
  }
  r.expect_end();
  const std::vector<uint8_t> old = seal_blob(magic, version, fingerprint, w.bytes());
  auto g = make_generator(c.get());
  ASSERT_EQ(flowgen_generator_restore(g.get(), old.data(), uint32_t(old.size())), FLOWGEN_OK)
      << flowgen_generator_error(g.get());
  auto e = make_encoder(o);
  std::string out;
  encode_next_all(g.get(), e.get(), 16384, out);
  ASSERT_EQ(flowgen_encoder_finish(e.get()), FLOWGEN_OK);
  out += take_bytes(e.get());
  EXPECT_TRUE(out == expected);
  // More than even the old lanes held is refused.
  auto g2 = make_generator(c.get());
  std::vector<uint8_t> payload_bytes = w.bytes();
  // Rewrite the first lane's fill (after 5 u64, the count, the state size and the state).
  uint32_t first_state = 0;
  std::memcpy(&first_state, payload_bytes.data() + 44, 4);
  const uint32_t huge = 20000;
  std::memcpy(payload_bytes.data() + 48 + first_state, &huge, 4);
  const std::vector<uint8_t> bad = seal_blob(magic, version, fingerprint, payload_bytes);
  EXPECT_EQ(flowgen_generator_restore(g2.get(), bad.data(), uint32_t(bad.size())),
            FLOWGEN_ERR_CHECKPOINT);
}
