// JSON and JSON Lines encoders: the brief's objects byte for byte, pretty and compact
// arrays, empty output, selected fields, and checkpoint continuation.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "encoder.hpp"
#include "encoder_test_batch.hpp"

namespace {

using flowgen::detail::Batch;
using flowgen::detail::Encoder;
using flowgen::detail::EncoderParams;
using flowgen::detail::OutputBuffer;
using flowgen::test::as_string;
using MakeEncoder = std::function<std::unique_ptr<Encoder>()>;

std::string encode_all(const MakeEncoder& make, const EncoderParams& params,
                       const std::vector<Batch>& batches) {
  auto encoder = make();
  encoder->begin(params);
  OutputBuffer out;
  for (const Batch& b : batches) encoder->encode(b, out);
  encoder->finish(out);
  return as_string(out.bytes);
}

Batch two_brief_records() {
  Batch b(2);
  b.size = 2;
  flowgen::test::set_brief_record(b, 0);
  flowgen::test::set_brief_record(b, 1);
  b.src_ip4[1] += 1;  // 192.168.1.46
  b.timestamp_ns[1] += 512000;
  return b;
}

EncoderParams compact() {
  EncoderParams p;
  p.json_pretty = 0;
  return p;
}

TEST(JsonEncoder, PrettyArrayLikePythonIndent2) {
  EXPECT_EQ(encode_all(flowgen::detail::make_json_encoder, EncoderParams{}, {two_brief_records()}),
            "[\n"
            "  {\n"
            "    \"src_ip\": \"192.168.1.45\",\n"
            "    \"dst_ip\": \"10.5.23.100\",\n"
            "    \"src_port\": 54321,\n"
            "    \"dst_port\": 443,\n"
            "    \"protocol\": 6,\n"
            "    \"timestamp\": 1704067200.000000,\n"
            "    \"length\": 1200\n"
            "  },\n"
            "  {\n"
            "    \"src_ip\": \"192.168.1.46\",\n"
            "    \"dst_ip\": \"10.5.23.100\",\n"
            "    \"src_port\": 54321,\n"
            "    \"dst_port\": 443,\n"
            "    \"protocol\": 6,\n"
            "    \"timestamp\": 1704067200.000512,\n"
            "    \"length\": 1200\n"
            "  }\n"
            "]\n");
}

TEST(JsonEncoder, CompactArray) {
  EXPECT_EQ(encode_all(flowgen::detail::make_json_encoder, compact(), {two_brief_records()}),
            "[{\"src_ip\":\"192.168.1.45\",\"dst_ip\":\"10.5.23.100\",\"src_port\":54321,"
            "\"dst_port\":443,\"protocol\":6,\"timestamp\":1704067200.000000,\"length\":1200},"
            "{\"src_ip\":\"192.168.1.46\",\"dst_ip\":\"10.5.23.100\",\"src_port\":54321,"
            "\"dst_port\":443,\"protocol\":6,\"timestamp\":1704067200.000512,\"length\":1200}]\n");
}

TEST(JsonEncoder, EmptyOutputIsAnEmptyArray) {
  EXPECT_EQ(encode_all(flowgen::detail::make_json_encoder, EncoderParams{}, {}), "[]\n");
  EXPECT_EQ(encode_all(flowgen::detail::make_json_encoder, compact(), {Batch(3)}), "[]\n");
  EXPECT_EQ(encode_all(flowgen::detail::make_jsonl_encoder, EncoderParams{}, {}), "");
}

TEST(JsonEncoder, JsonLinesOneCompactObjectPerLine) {
  EXPECT_EQ(encode_all(flowgen::detail::make_jsonl_encoder, EncoderParams{}, {two_brief_records()}),
            "{\"src_ip\":\"192.168.1.45\",\"dst_ip\":\"10.5.23.100\",\"src_port\":54321,"
            "\"dst_port\":443,\"protocol\":6,\"timestamp\":1704067200.000000,\"length\":1200}\n"
            "{\"src_ip\":\"192.168.1.46\",\"dst_ip\":\"10.5.23.100\",\"src_port\":54321,"
            "\"dst_port\":443,\"protocol\":6,\"timestamp\":1704067200.000512,\"length\":1200}\n");
}

TEST(JsonEncoder, SelectedFieldsWithStringsEscaped) {
  Batch b(2);
  b.size = 2;
  const std::vector<std::string> names = {"web_traffic", "say \"hi\"\\"};
  b.pattern_names = &names;
  b.ip_version[0] = 6;
  b.src_ip6[15] = 1;  // ::1
  b.pattern[0] = 1;
  b.direction[0] = 1;
  b.flow_id[0] = 12;
  b.duration_ns[1] = 2000000001;
  EncoderParams p;
  p.fields = "pattern,src_ip,direction,flow_id,duration";
  p.fields_set = true;
  EXPECT_EQ(encode_all(flowgen::detail::make_jsonl_encoder, p, {b}),
            "{\"pattern\":\"say \\\"hi\\\"\\\\\",\"src_ip\":\"::1\",\"direction\":\"response\","
            "\"flow_id\":12,\"duration\":0.000000}\n"
            "{\"pattern\":\"web_traffic\",\"src_ip\":\"0.0.0.0\",\"direction\":\"request\","
            "\"flow_id\":0,\"duration\":2.000000}\n");
  EXPECT_EQ(encode_all(flowgen::detail::make_json_encoder, p, {Batch(0)}), "[]\n");
}

TEST(JsonEncoder, SettingTheCsvOrderExplicitlyIsHonoured) {
  EncoderParams p;
  p.fields_set = true;  // the default string, but chosen: timestamp comes first
  const std::string out = encode_all(flowgen::detail::make_jsonl_encoder, p, {two_brief_records()});
  EXPECT_EQ(out.rfind("{\"timestamp\":1704067200.000000,\"src_ip\":", 0), 0u) << out;
}

void expect_restore_continues(const MakeEncoder& make, const EncoderParams& params) {
  std::vector<Batch> batches;
  for (uint32_t k = 0; k < 5; ++k) batches.push_back(flowgen::test::random_batch(k == 2 ? 0 : 200, k * 1000));
  const std::string whole = encode_all(make, params, batches);
  for (size_t cut = 0; cut <= batches.size(); ++cut) {
    auto first = make();
    first->begin(params);
    OutputBuffer out;
    for (size_t k = 0; k < cut; ++k) first->encode(batches[k], out);
    const std::vector<uint8_t> state = first->save_state();
    auto second = make();
    second->begin(params);
    second->restore_state(state.data(), state.size());
    for (size_t k = cut; k < batches.size(); ++k) second->encode(batches[k], out);
    second->finish(out);
    ASSERT_EQ(as_string(out.bytes), whole) << "cut after batch " << cut;
  }
}

TEST(JsonEncoder, RestoredEncoderContinuesTheSameBytes) {
  EncoderParams all;
  all.fields =
      "src_ip,dst_ip,src_port,dst_port,protocol,timestamp,length,packets,bytes,duration,"
      "tcp_flags,flow_id,direction,pattern,ip_version";
  all.fields_set = true;
  expect_restore_continues(flowgen::detail::make_json_encoder, EncoderParams{});
  expect_restore_continues(flowgen::detail::make_json_encoder, compact());
  expect_restore_continues(flowgen::detail::make_json_encoder, all);
  expect_restore_continues(flowgen::detail::make_jsonl_encoder, all);
}

}  // namespace
