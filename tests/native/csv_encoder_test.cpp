// CSV encoder: the brief's exact bytes, field selection, and checkpoint continuation.
#include <gtest/gtest.h>

#include <string>

#include "abi_guard.hpp"
#include "encoder.hpp"
#include "encoder_test_batch.hpp"
#include "text_fields.hpp"

namespace {

using flowgen::detail::Batch;
using flowgen::detail::EncoderParams;
using flowgen::detail::OutputBuffer;
using flowgen::test::as_string;

std::string encode_all(const EncoderParams& params, const std::vector<Batch>& batches) {
  auto encoder = flowgen::detail::make_csv_encoder();
  encoder->begin(params);
  OutputBuffer out;
  for (const Batch& b : batches) encoder->encode(b, out);
  encoder->finish(out);
  return as_string(out.bytes);
}

EncoderParams with_fields(const std::string& fields) {
  EncoderParams p;
  p.fields = fields;
  p.fields_set = true;
  return p;
}

TEST(CsvEncoder, BriefHeaderAndRow) {
  Batch b(2);
  b.size = 1;
  flowgen::test::set_brief_record(b, 0);
  EXPECT_EQ(encode_all(EncoderParams{}, {b}),
            "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length\n"
            "1704067200.000000,192.168.1.45,10.5.23.100,54321,443,6,1200\n");
}

TEST(CsvEncoder, WithoutHeader) {
  Batch b(1);
  b.size = 1;
  flowgen::test::set_brief_record(b, 0);
  EncoderParams p;
  p.csv_header = 0;
  EXPECT_EQ(encode_all(p, {b}), "1704067200.000000,192.168.1.45,10.5.23.100,54321,443,6,1200\n");
}

TEST(CsvEncoder, NoRecordsGivesTheHeaderOnly) {
  EXPECT_EQ(encode_all(EncoderParams{}, {}),
            "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length\n");
  EXPECT_EQ(encode_all(EncoderParams{}, {Batch(4)}),  // an empty batch
            "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length\n");
}

TEST(CsvEncoder, EveryFieldInTheOrderGiven) {
  Batch b(2);
  b.size = 2;
  const std::vector<std::string> names = {"web_traffic", "odd, \"name\""};
  b.pattern_names = &names;
  flowgen::test::set_brief_record(b, 0);
  b.duration_ns[0] = 1500000;  // 1.5 ms
  b.packets[0] = 3;
  b.bytes[0] = 3600;
  b.tcp_flags[0] = 0x1b;
  b.flow_id[0] = 18446744073709551615ULL;
  b.direction[0] = 0;
  b.pattern[0] = 0;
  // An IPv6 response of the second pattern.
  b.timestamp_ns[1] = 1704067200000000500ULL;
  b.ip_version[1] = 6;
  const uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  const uint8_t dst[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x1a, 0x2b, 0xff, 0xfe, 0x3c, 0x4d, 0x5e};
  std::memcpy(&b.src_ip6[16], src, 16);
  std::memcpy(&b.dst_ip6[16], dst, 16);
  b.src_port[1] = 443;
  b.dst_port[1] = 50000;
  b.protocol[1] = 17;
  b.length[1] = 64;
  b.packets[1] = 1;
  b.bytes[1] = 64;
  b.flow_id[1] = 7;
  b.direction[1] = 1;
  b.pattern[1] = 1;

  const std::string fields =
      "ip_version,pattern,direction,flow_id,tcp_flags,duration,bytes,packets,length,protocol,"
      "dst_port,src_port,dst_ip,src_ip,timestamp";
  EXPECT_EQ(encode_all(with_fields(fields), {b}),
            fields + "\n" +
                "4,web_traffic,request,18446744073709551615,27,0.001500,3600,3,1200,6,443,54321,"
                "10.5.23.100,192.168.1.45,1704067200.000000\n"
                "6,\"odd, \"\"name\"\"\",response,7,0,0.000000,64,1,64,17,50000,443,"
                "fe80::21a:2bff:fe3c:4d5e,2001:db8::1,1704067200.000001\n");
}

TEST(CsvEncoder, PatternWithoutANameIsWrittenAsItsIndex) {
  Batch b(1);
  b.size = 1;
  b.pattern[0] = 5;  // no name table at all
  EXPECT_EQ(encode_all(with_fields("pattern"), {b}), "pattern\n5\n");
}

TEST(CsvEncoder, FieldListErrorsNameTheField) {
  try {
    flowgen::detail::parse_fields("timestamp,foo");
    FAIL() << "no error";
  } catch (const flowgen::detail::Error& e) {
    EXPECT_EQ(e.status(), FLOWGEN_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(std::string(e.what()),
              "unknown field \"foo\" (expected one of: timestamp, src_ip, dst_ip, src_port, "
              "dst_port, protocol, length, packets, bytes, duration, tcp_flags, flow_id, "
              "direction, pattern, ip_version)");
  }
  EXPECT_THROW(flowgen::detail::parse_fields(""), flowgen::detail::Error);
  EXPECT_THROW(flowgen::detail::parse_fields("timestamp,,length"), flowgen::detail::Error);
  try {
    flowgen::detail::parse_fields("length,src_ip,length");
    FAIL() << "no error";
  } catch (const flowgen::detail::Error& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate field \"length\""), std::string::npos);
  }
  EXPECT_EQ(flowgen::detail::parse_fields(" src_ip , length ").size(), 2u);
}

TEST(CsvEncoder, RestoredEncoderContinuesTheSameBytes) {
  const EncoderParams params = with_fields(
      "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length,packets,bytes,duration,"
      "tcp_flags,flow_id,direction,pattern,ip_version");
  std::vector<Batch> batches;
  for (uint32_t k = 0; k < 6; ++k) batches.push_back(flowgen::test::random_batch(300 + k, k * 1000));
  const std::string whole = encode_all(params, batches);
  for (size_t cut = 0; cut <= batches.size(); ++cut) {
    auto first = flowgen::detail::make_csv_encoder();
    first->begin(params);
    OutputBuffer out;
    for (size_t k = 0; k < cut; ++k) first->encode(batches[k], out);
    const std::vector<uint8_t> state = first->save_state();
    auto second = flowgen::detail::make_csv_encoder();
    second->begin(params);
    second->restore_state(state.data(), state.size());
    for (size_t k = cut; k < batches.size(); ++k) second->encode(batches[k], out);
    second->finish(out);
    ASSERT_EQ(as_string(out.bytes), whole) << "cut after batch " << cut;
  }
}

TEST(CsvEncoder, RefusesAStateOfAnotherShape) {
  auto encoder = flowgen::detail::make_csv_encoder();
  encoder->begin(EncoderParams{});
  const uint8_t junk[3] = {9, 9, 9};
  try {
    encoder->restore_state(junk, sizeof junk);
    FAIL() << "no error";
  } catch (const flowgen::detail::Error& e) {
    EXPECT_EQ(e.status(), FLOWGEN_ERR_CHECKPOINT);
  }
}

}  // namespace
