// The flowgen_encoder_* C ABI: handles and errors, the buffer without a sink, file and
// descriptor sinks (with and without the writer thread), stats, checkpoints through a
// file, and one run fed by a real generator.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "abi_encoder.hpp"
#include "encoder_test_batch.hpp"
#include "flowgen/flowgen.h"

namespace {

using flowgen::detail::Batch;
using flowgen::detail::encoder_encode_batch;

std::string temp_path(const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/flowgen_encoder_abi_test_" +
         std::to_string(getpid()) + "_" + name;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string buffered(const flowgen_encoder* e) {
  const uint8_t* data = flowgen_encoder_data(e);
  return std::string(reinterpret_cast<const char*>(data), flowgen_encoder_size(e));
}

struct EncoderPtr {
  flowgen_encoder* e = nullptr;
  explicit EncoderPtr(int32_t format) {
    EXPECT_EQ(flowgen_encoder_new(format, &e), FLOWGEN_OK);
  }
  ~EncoderPtr() { flowgen_encoder_free(e); }
  operator flowgen_encoder*() const { return e; }
};

std::vector<Batch> some_batches(size_t count = 8) {
  std::vector<Batch> batches;
  for (uint32_t k = 0; k < count; ++k) batches.push_back(flowgen::test::random_batch(500 + 37 * k, k * 1000));
  return batches;
}

// The whole output of `format` for `batches`, from the buffer (no sink).
std::string in_memory(int32_t format, const std::vector<Batch>& batches) {
  EncoderPtr e(format);
  for (const Batch& b : batches) EXPECT_EQ(encoder_encode_batch(e, b), FLOWGEN_OK);
  EXPECT_EQ(flowgen_encoder_finish(e), FLOWGEN_OK);
  return buffered(e);
}

TEST(EncoderAbi, NewRefusesAnUnknownFormat) {
  flowgen_encoder* e = reinterpret_cast<flowgen_encoder*>(1);
  EXPECT_EQ(flowgen_encoder_new(99, &e), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(e, nullptr);
  EXPECT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_CSV, nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
}

TEST(EncoderAbi, NullHandlesAreRefusedWithoutCrashing) {
  flowgen_encoder_free(nullptr);
  EXPECT_NE(flowgen_encoder_error(nullptr), nullptr);
  EXPECT_EQ(flowgen_encoder_set_param(nullptr, FLOWGEN_PARAM_CSV_HEADER, 0), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_encode(nullptr, nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_finish(nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_data(nullptr), nullptr);
  EXPECT_EQ(flowgen_encoder_size(nullptr), 0u);
  EXPECT_EQ(flowgen_encoder_packet_count(nullptr), 0u);
  EncoderPtr e(FLOWGEN_FORMAT_CSV);
  EXPECT_EQ(flowgen_encoder_encode(e, nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(flowgen_encoder_error(e), "generator is NULL");
  EXPECT_EQ(flowgen_encoder_set_fields(e, nullptr), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_open(e, nullptr, 0), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(flowgen_encoder_error(e), "path is NULL");
}

TEST(EncoderAbi, BufferWithoutASinkIsReadThenConsumed) {
  EncoderPtr e(FLOWGEN_FORMAT_CSV);
  Batch b(1);
  b.size = 1;
  flowgen::test::set_brief_record(b, 0);
  ASSERT_EQ(encoder_encode_batch(e, b), FLOWGEN_OK);
  EXPECT_EQ(buffered(e),
            "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length\n"
            "1704067200.000000,192.168.1.45,10.5.23.100,54321,443,6,1200\n");
  EXPECT_EQ(flowgen_encoder_packet_count(e), 0u);
  ASSERT_EQ(flowgen_encoder_consume(e), FLOWGEN_OK);
  EXPECT_EQ(flowgen_encoder_size(e), 0u);
  ASSERT_EQ(encoder_encode_batch(e, b), FLOWGEN_OK);
  EXPECT_EQ(buffered(e), "1704067200.000000,192.168.1.45,10.5.23.100,54321,443,6,1200\n");
  flowgen_encoder_stats_t stats{};
  ASSERT_EQ(flowgen_encoder_stats(e, &stats, sizeof stats), FLOWGEN_OK);
  EXPECT_EQ(stats.records_encoded, 2u);
  EXPECT_EQ(stats.bytes, 58u + 2 * 60u);
  EXPECT_EQ(stats.packets, 0u);
  EXPECT_EQ(flowgen_encoder_stats(e, &stats, 8), FLOWGEN_ERR_INVALID_ARGUMENT);
}

TEST(EncoderAbi, ParameterErrorsNameTheParameterAndValue) {
  EncoderPtr e(FLOWGEN_FORMAT_CSV);
  EXPECT_EQ(flowgen_encoder_set_param(e, 99, 1), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(flowgen_encoder_error(e)).find("unknown parameter 99"), std::string::npos);
  EXPECT_EQ(flowgen_encoder_set_param(e, FLOWGEN_PARAM_CSV_HEADER, 2), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_STREQ(flowgen_encoder_error(e), "FLOWGEN_PARAM_CSV_HEADER must be in 0..1, got 2");
  EXPECT_EQ(flowgen_encoder_set_param(e, FLOWGEN_PARAM_BUFFER_BYTES, 0), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_set_param(e, FLOWGEN_PARAM_CONTAINER, FLOWGEN_CONTAINER_PCAP),
            FLOWGEN_ERR_UNSUPPORTED);
  EXPECT_EQ(flowgen_encoder_set_fields(e, "src_ip,foo"), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(std::string(flowgen_encoder_error(e)).rfind("unknown field \"foo\" (expected one of: timestamp, ", 0), 0u);
  EXPECT_EQ(flowgen_encoder_set_fields(e, "src_ip,src_ip"), FLOWGEN_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(flowgen_encoder_set_fields(e, ""), FLOWGEN_ERR_INVALID_ARGUMENT);

  ASSERT_EQ(encoder_encode_batch(e, Batch(0)), FLOWGEN_OK);
  EXPECT_EQ(flowgen_encoder_set_param(e, FLOWGEN_PARAM_CSV_HEADER, 0), FLOWGEN_ERR_STATE);
  EXPECT_STREQ(flowgen_encoder_error(e), "FLOWGEN_PARAM_CSV_HEADER can only be set before the first encode");
  EXPECT_EQ(flowgen_encoder_set_fields(e, "src_ip"), FLOWGEN_ERR_STATE);
}

TEST(EncoderAbi, FieldsAreForTextFormatsOnly) {
  flowgen_encoder* e = nullptr;
  ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_NETFLOW5, &e), FLOWGEN_OK);
  EXPECT_EQ(flowgen_encoder_set_fields(e, "src_ip"), FLOWGEN_ERR_UNSUPPORTED);
  flowgen_encoder_free(e);
}

TEST(EncoderAbi, EncodeOrFinishAfterFinishIsAStateError) {
  EncoderPtr e(FLOWGEN_FORMAT_JSON);
  ASSERT_EQ(flowgen_encoder_finish(e), FLOWGEN_OK);
  EXPECT_EQ(buffered(e), "[]\n");
  EXPECT_EQ(encoder_encode_batch(e, flowgen::test::random_batch(3)), FLOWGEN_ERR_STATE);
  EXPECT_STREQ(flowgen_encoder_error(e), "encode after finish");
  EXPECT_EQ(flowgen_encoder_finish(e), FLOWGEN_ERR_STATE);
}

TEST(EncoderAbi, FileAndDescriptorSinksGetTheBufferBytes) {
  const std::vector<Batch> batches = some_batches();
  for (const int32_t format : {FLOWGEN_FORMAT_CSV, FLOWGEN_FORMAT_JSON, FLOWGEN_FORMAT_JSONL}) {
    const std::string expected = in_memory(format, batches);
    for (const int64_t writer_thread : {0, 1}) {
      for (const int64_t buffer_bytes : {int64_t(1), int64_t(10000), int64_t(1) << 20}) {
        const std::string path = temp_path("sink.out");
        EncoderPtr e(format);
        ASSERT_EQ(flowgen_encoder_set_param(e, FLOWGEN_PARAM_WRITER_THREAD, writer_thread), FLOWGEN_OK);
        ASSERT_EQ(flowgen_encoder_set_param(e, FLOWGEN_PARAM_BUFFER_BYTES, buffer_bytes), FLOWGEN_OK);
        ASSERT_EQ(flowgen_encoder_open(e, path.c_str(), 0), FLOWGEN_OK);
        EXPECT_EQ(flowgen_encoder_open(e, path.c_str(), 0), FLOWGEN_ERR_STATE);  // one sink
        for (const Batch& b : batches) ASSERT_EQ(encoder_encode_batch(e, b), FLOWGEN_OK);
        EXPECT_EQ(flowgen_encoder_consume(e), FLOWGEN_ERR_STATE);  // bytes belong to the sink
        ASSERT_EQ(flowgen_encoder_finish(e), FLOWGEN_OK);
        EXPECT_EQ(read_file(path), expected)
            << "format " << format << " writer " << writer_thread << " buffer " << buffer_bytes;
        flowgen_encoder_stats_t stats{};
        ASSERT_EQ(flowgen_encoder_stats(e, &stats, sizeof stats), FLOWGEN_OK);
        EXPECT_EQ(stats.bytes, expected.size());
        std::remove(path.c_str());
      }
    }
  }
  // A caller's descriptor, left open.
  const std::string path = temp_path("fd.out");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  {
    EncoderPtr e(FLOWGEN_FORMAT_CSV);
    ASSERT_EQ(flowgen_encoder_set_fd(e, fd), FLOWGEN_OK);
    for (const Batch& b : batches) ASSERT_EQ(encoder_encode_batch(e, b), FLOWGEN_OK);
    ASSERT_EQ(flowgen_encoder_finish(e), FLOWGEN_OK);
  }
  EXPECT_EQ(::write(fd, "", 0), 0);  // still open
  ::close(fd);
  EXPECT_EQ(read_file(path), in_memory(FLOWGEN_FORMAT_CSV, batches));
  std::remove(path.c_str());
}

TEST(EncoderAbi, OpenErrorsAreIoErrorsWithThePath) {
  EncoderPtr e(FLOWGEN_FORMAT_CSV);
  EXPECT_EQ(flowgen_encoder_open(e, "/nonexistent-dir/out.csv", 0), FLOWGEN_ERR_IO);
  EXPECT_NE(std::string(flowgen_encoder_error(e)).find("\"/nonexistent-dir/out.csv\""), std::string::npos);
  EXPECT_EQ(flowgen_encoder_set_fd(e, -5), FLOWGEN_ERR_IO);
}

TEST(EncoderAbi, BrokenPipeIsReportedAsIo) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);
  for (const int64_t writer_thread : {0, 1}) {
    EncoderPtr e(FLOWGEN_FORMAT_JSONL);
    ASSERT_EQ(flowgen_encoder_set_param(e, FLOWGEN_PARAM_WRITER_THREAD, writer_thread), FLOWGEN_OK);
    ASSERT_EQ(flowgen_encoder_set_fd(e, fds[1]), FLOWGEN_OK);
    int32_t status = FLOWGEN_OK;
    for (int i = 0; i < 3 && status == FLOWGEN_OK; ++i) status = encoder_encode_batch(e, flowgen::test::random_batch(100));
    if (status == FLOWGEN_OK) status = flowgen_encoder_finish(e);
    EXPECT_EQ(status, FLOWGEN_ERR_IO);
    EXPECT_NE(std::string(flowgen_encoder_error(e)).find("broken pipe"), std::string::npos)
        << flowgen_encoder_error(e);
  }
  close(fds[1]);
}

// output(0..k) + output after restore == output(0..n), through a file opened for append.
TEST(EncoderAbi, CheckpointAndResumeContinueTheFileByteForByte) {
  const std::vector<Batch> batches = some_batches(6);
  for (const int32_t format : {FLOWGEN_FORMAT_CSV, FLOWGEN_FORMAT_JSON, FLOWGEN_FORMAT_JSONL}) {
    const std::string expected = in_memory(format, batches);
    for (size_t cut = 0; cut <= batches.size(); ++cut) {
      const std::string path = temp_path("resume.out");
      std::vector<uint8_t> blob;
      {
        EncoderPtr first(format);
        ASSERT_EQ(flowgen_encoder_set_param(first, FLOWGEN_PARAM_WRITER_THREAD, 1), FLOWGEN_OK);
        ASSERT_EQ(flowgen_encoder_open(first, path.c_str(), 0), FLOWGEN_OK);
        for (size_t k = 0; k < cut; ++k) ASSERT_EQ(encoder_encode_batch(first, batches[k]), FLOWGEN_OK);
        if (cut > 0) {  // unwritten bytes: the blob would not match the file
          EXPECT_EQ(flowgen_encoder_checkpoint(first, nullptr, 0, nullptr), FLOWGEN_ERR_STATE);
        }
        ASSERT_EQ(flowgen_encoder_flush(first), FLOWGEN_OK);
        uint32_t needed = 0;
        ASSERT_EQ(flowgen_encoder_checkpoint(first, nullptr, 0, &needed), FLOWGEN_ERR_BUFFER_TOO_SMALL);
        blob.resize(needed);
        ASSERT_EQ(flowgen_encoder_checkpoint(first, blob.data(), needed, nullptr), int32_t(needed));
      }  // freed without finish, like a process that stops
      EncoderPtr second(format);
      ASSERT_EQ(flowgen_encoder_open(second, path.c_str(), 1), FLOWGEN_OK);
      ASSERT_EQ(flowgen_encoder_restore(second, blob.data(), uint32_t(blob.size())), FLOWGEN_OK)
          << flowgen_encoder_error(second);
      for (size_t k = cut; k < batches.size(); ++k) ASSERT_EQ(encoder_encode_batch(second, batches[k]), FLOWGEN_OK);
      ASSERT_EQ(flowgen_encoder_finish(second), FLOWGEN_OK);
      ASSERT_EQ(read_file(path), expected) << "format " << format << " cut " << cut;
      flowgen_encoder_stats_t stats{};
      ASSERT_EQ(flowgen_encoder_stats(second, &stats, sizeof stats), FLOWGEN_OK);
      EXPECT_EQ(stats.bytes, expected.size());  // continues the count: the file's size
      std::remove(path.c_str());
    }
  }
}

TEST(EncoderAbi, RestoreRefusesForeignOrDamagedBlobs) {
  std::vector<uint8_t> blob;
  {
    EncoderPtr e(FLOWGEN_FORMAT_CSV);
    ASSERT_EQ(encoder_encode_batch(e, flowgen::test::random_batch(10)), FLOWGEN_OK);
    uint32_t needed = 0;
    flowgen_encoder_checkpoint(e, nullptr, 0, &needed);
    blob.resize(needed);
    ASSERT_GT(flowgen_encoder_checkpoint(e, blob.data(), needed, nullptr), 0);
  }
  const auto size = uint32_t(blob.size());
  {
    EncoderPtr json(FLOWGEN_FORMAT_JSON);
    EXPECT_EQ(flowgen_encoder_restore(json, blob.data(), size), FLOWGEN_ERR_CHECKPOINT);
    EXPECT_NE(std::string(flowgen_encoder_error(json)).find("made by a CSV encoder"), std::string::npos);
  }
  {
    EncoderPtr other(FLOWGEN_FORMAT_CSV);
    ASSERT_EQ(flowgen_encoder_set_param(other, FLOWGEN_PARAM_CSV_HEADER, 0), FLOWGEN_OK);
    EXPECT_EQ(flowgen_encoder_restore(other, blob.data(), size), FLOWGEN_ERR_CHECKPOINT);
    EXPECT_NE(std::string(flowgen_encoder_error(other)).find("other encoder parameters"), std::string::npos);
  }
  for (size_t i = 0; i < blob.size(); ++i) {  // any flipped byte is caught
    std::vector<uint8_t> damaged = blob;
    damaged[i] ^= 0x40;
    EncoderPtr e(FLOWGEN_FORMAT_CSV);
    ASSERT_EQ(flowgen_encoder_restore(e, damaged.data(), size), FLOWGEN_ERR_CHECKPOINT) << "byte " << i;
  }
  {
    EncoderPtr e(FLOWGEN_FORMAT_CSV);
    EXPECT_EQ(flowgen_encoder_restore(e, blob.data(), size - 1), FLOWGEN_ERR_CHECKPOINT);
    EXPECT_EQ(flowgen_encoder_restore(e, nullptr, 0), FLOWGEN_ERR_INVALID_ARGUMENT);
    ASSERT_EQ(encoder_encode_batch(e, Batch(0)), FLOWGEN_OK);
    EXPECT_EQ(flowgen_encoder_restore(e, blob.data(), size), FLOWGEN_ERR_STATE);
  }
}

TEST(EncoderAbi, FreeWithoutFinishJoinsTheWriterThread) {
  const std::string path = temp_path("unfinished.out");
  flowgen_encoder* e = nullptr;
  ASSERT_EQ(flowgen_encoder_new(FLOWGEN_FORMAT_CSV, &e), FLOWGEN_OK);
  ASSERT_EQ(flowgen_encoder_set_param(e, FLOWGEN_PARAM_WRITER_THREAD, 1), FLOWGEN_OK);
  ASSERT_EQ(flowgen_encoder_set_param(e, FLOWGEN_PARAM_BUFFER_BYTES, 1), FLOWGEN_OK);
  ASSERT_EQ(flowgen_encoder_open(e, path.c_str(), 0), FLOWGEN_OK);
  for (const Batch& b : some_batches(4)) ASSERT_EQ(encoder_encode_batch(e, b), FLOWGEN_OK);
  flowgen_encoder_free(e);
  EXPECT_GT(read_file(path).size(), 0u);
  std::remove(path.c_str());
}

TEST(EncoderAbi, EncodesTheBatchesOfARealGenerator) {
  flowgen_config* config = flowgen_config_new();
  ASSERT_NE(config, nullptr);
  ASSERT_EQ(flowgen_config_set_seed(config, 1), FLOWGEN_OK);
  ASSERT_EQ(flowgen_config_set_max_flows(config, 5000), FLOWGEN_OK);
  ASSERT_EQ(flowgen_config_set_start_timestamp_ns(config, 1704067200ULL * 1000000000ULL), FLOWGEN_OK);
  ASSERT_EQ(flowgen_config_add_source_subnet(config, "192.168.1.0/24"), FLOWGEN_OK);
  ASSERT_EQ(flowgen_config_add_destination_subnet(config, "10.0.0.0/8"), FLOWGEN_OK);
  ASSERT_GE(flowgen_config_add_pattern(config, "web_traffic", 100), 0);
  flowgen_generator* generator = nullptr;
  ASSERT_EQ(flowgen_generator_new(config, &generator), FLOWGEN_OK) << flowgen_config_error(config);
  flowgen_config_free(config);

  EncoderPtr e(FLOWGEN_FORMAT_CSV);
  ASSERT_EQ(flowgen_encoder_set_fields(e, "timestamp,src_ip,dst_ip,dst_port,pattern"), FLOWGEN_OK);
  int32_t n;
  while ((n = flowgen_generator_next_batch(generator, 1000)) > 0) {
    ASSERT_EQ(flowgen_encoder_encode(e, generator), FLOWGEN_OK) << flowgen_encoder_error(e);
  }
  ASSERT_EQ(n, 0) << flowgen_generator_error(generator);
  ASSERT_EQ(flowgen_encoder_finish(e), FLOWGEN_OK);
  flowgen_generator_free(generator);

  std::istringstream lines(buffered(e));
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "timestamp,src_ip,dst_ip,dst_port,pattern");
  size_t rows = 0;
  while (std::getline(lines, line)) {
    ++rows;
    ASSERT_EQ(line.rfind("17040672", 0), 0u) << line;
    ASSERT_NE(line.find(",192.168.1."), std::string::npos) << line;
    ASSERT_NE(line.find(",10."), std::string::npos) << line;
    ASSERT_NE(line.find(",web_traffic"), std::string::npos) << line;
  }
  EXPECT_EQ(rows, 5000u);
  flowgen_encoder_stats_t stats{};
  ASSERT_EQ(flowgen_encoder_stats(e, &stats, sizeof stats), FLOWGEN_OK);
  EXPECT_EQ(stats.records_encoded, 5000u);
}

}  // namespace
