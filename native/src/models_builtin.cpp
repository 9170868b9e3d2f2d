// Built-in pattern tables. Every number here is listed in docs/models.md with its source or
// marked there as this project's calibration; keep both in sync.
#include "models_builtin.hpp"

#include <cmath>

namespace flowgen::detail {
namespace {

// Lognormal by its median (e^mu), which reads better than mu in a table.
Distribution ln(double median, double sigma) { return lognormal_dist(std::log(median), sigma); }

// Packet sizes seen on IPv4 links (CAIDA): pure ACKs 40 B, 52 B with the timestamp option.
Component acks(double weight) { return {weight, uniform_dist(40, 66)}; }
Component mtu(double weight) { return {weight, fixed_dist(1500)}; }

ServiceSpec web() {
  ServiceSpec s;
  s.label = "https/http";
  s.ports = {443, 80};
  s.port_weights = {0.7, 0.3};
  s.packets = {{0.15, ln(2, 0.35)}, {0.60, ln(8, 0.45)}, {0.25, ln(30, 1.2)}};
  s.packet_size = {acks(0.65), {0.35, ln(450, 0.6)}};
  s.response_packet_size = {acks(0.15), {0.15, ln(600, 0.6)}, mtu(0.70)};
  s.response_ratio = 1.5;
  s.response_sigma = 0.5;
  s.gap_ms = {{1, ln(15, 1.0)}};
  s.reset_probability = 0.05;
  return s;
}

ServiceSpec dns() {
  ServiceSpec s;
  s.label = "udp";
  s.protocol = 17;
  s.ports = {53};
  s.port_weights = {1};
  s.packets = {{1, empirical_dist({1, 2, 3}, {0.92, 0.06, 0.02})}};  // retries
  s.packet_size = {{1, ln(72, 0.2)}};
  s.response_packet_size = {{0.80, ln(140, 0.45)}, {0.17, ln(450, 0.4)},
                            {0.03, uniform_dist(1000, 1260)}};
  s.response_ratio = 1;
  s.gap_ms = {{1, ln(800, 0.5)}};
  s.max_packet_size = 1232 + 28;  // EDNS(0) payload of DNS Flag Day 2020 + IPv4/UDP headers
  s.response_larger = true;
  return s;
}

ServiceSpec ssh_interactive() {
  ServiceSpec s;
  s.label = "interactive";
  s.weight = 0.7;
  s.ports = {22};
  s.port_weights = {1};
  s.packets = {{1, ln(150, 1.0)}};
  s.packet_size = {{0.8, ln(90, 0.25)}, acks(0.2)};  // one keystroke per packet
  s.response_packet_size = {{0.7, ln(120, 0.6)}, {0.3, ln(600, 0.8)}};
  s.response_ratio = 1.0;
  s.response_sigma = 0.4;
  s.gap_ms = {{1, ln(200, 1.0)}};  // human typing and reading
  s.reset_probability = 0.02;
  return s;
}

ServiceSpec ssh_bulk() {
  ServiceSpec s;
  s.label = "bulk";
  s.weight = 0.3;
  s.ports = {22};
  s.port_weights = {1};
  s.packets = {{1, ln(2000, 1.5)}};
  s.packet_size = {mtu(0.5), acks(0.5)};
  s.response_packet_size = {mtu(0.5), acks(0.5)};
  s.response_ratio = 1.0;
  s.response_sigma = 0.8;
  s.gap_ms = {{1, ln(2, 1.0)}};
  s.reset_probability = 0.02;
  return s;
}

ServiceSpec database() {
  ServiceSpec s;
  s.label = "sql/nosql";
  s.ports = {3306, 5432, 6379, 27017};  // MySQL, PostgreSQL, Redis, MongoDB
  s.port_weights = {0.35, 0.30, 0.20, 0.15};
  s.packets = {{0.6, ln(10, 0.8)}, {0.4, ln(80, 1.5)}};  // short-lived vs pooled connections
  s.packet_size = {{0.6, ln(150, 0.8)}, acks(0.4)};
  s.response_packet_size = {{0.5, ln(300, 0.9)}, mtu(0.3), acks(0.2)};
  s.response_ratio = 1.2;
  s.response_sigma = 0.6;
  s.gap_ms = {{1, ln(5, 1.2)}};
  s.reset_probability = 0.03;
  return s;
}

ServiceSpec smtp() {
  ServiceSpec s;
  s.label = "submission/relay";
  s.ports = {25, 587, 465};
  s.port_weights = {0.5, 0.35, 0.15};
  // The client uploads the message: the request direction carries the bytes.
  s.packets = {{0.3, ln(12, 0.3)}, {0.7, ln(25, 1.0)}};
  s.packet_size = {acks(0.4), {0.3, ln(100, 0.4)}, mtu(0.3)};
  s.response_packet_size = {acks(0.6), {0.4, ln(90, 0.3)}};  // "250 OK"-style replies
  s.response_ratio = 0.8;
  s.response_sigma = 0.3;
  s.gap_ms = {{1, ln(30, 1.0)}};
  s.reset_probability = 0.03;
  return s;
}

ServiceSpec ftp_control() {
  ServiceSpec s;
  s.label = "control";
  s.weight = 0.4;
  s.ports = {21};
  s.port_weights = {1};
  s.packets = {{1, ln(20, 0.7)}};
  s.packet_size = {{1, ln(70, 0.3)}};
  s.response_packet_size = {{1, ln(90, 0.4)}};
  s.response_ratio = 1.0;
  s.response_sigma = 0.3;
  s.gap_ms = {{1, ln(300, 1.0)}};
  s.reset_probability = 0.02;
  return s;
}

ServiceSpec ftp_data() {
  ServiceSpec s;
  s.label = "data";
  s.weight = 0.6;
  s.ports = {20};
  s.port_weights = {1};
  // Heavy upper tail of file transfers (Paxson & Floyd 1995: Pareto-like FTPDATA bursts).
  s.packets = {{0.7, ln(30, 1.0)}, {0.3, pareto_dist(100, 1.2)}};
  s.packet_size = {mtu(0.5), acks(0.5)};
  s.response_packet_size = {acks(1)};
  s.response_ratio = 0.5;  // one ACK per two segments (delayed ACK, RFC 1122)
  s.response_sigma = 0.4;
  s.gap_ms = {{1, ln(1, 1.0)}};
  s.reset_probability = 0.02;
  return s;
}

ServiceSpec random_service(const char* label, uint8_t protocol, double weight) {
  ServiceSpec s;
  s.label = label;
  s.weight = weight;
  s.protocol = protocol;
  s.packets = {{1, uniform_dist(1, 20)}};
  s.response_ratio = 1;
  s.response_sigma = 0.5;
  s.gap_ms = {{1, uniform_dist(0, 100)}};
  s.reset_probability = 0.1;
  return s;
}

std::vector<ServiceSpec> random_services() {
  ServiceSpec tcp = random_service("tcp", 6, 0.6);
  ServiceSpec udp = random_service("udp", 17, 0.3);
  ServiceSpec icmp = random_service("icmp", 1, 0.1);
  // Echo request, destination unreachable (net, host, port), time exceeded.
  icmp.ports = {8 << 8, 3 << 8, 3 << 8 | 1, 3 << 8 | 3, 11 << 8};
  icmp.port_weights = {0.7, 0.05, 0.05, 0.1, 0.1};
  return {tcp, udp, icmp};
}

}  // namespace

const std::vector<BuiltinPattern>& builtin_patterns() {
  static const std::vector<BuiltinPattern> patterns = {
      {"web_traffic", {web()}},
      {"dns_traffic", {dns()}},
      {"ssh_traffic", {ssh_interactive(), ssh_bulk()}},
      {"database_traffic", {database()}},
      {"smtp_traffic", {smtp()}},
      {"ftp_traffic", {ftp_control(), ftp_data()}},
      {"random", random_services()},
  };
  return patterns;
}

const BuiltinPattern* find_builtin(const std::string& type) {
  for (const BuiltinPattern& p : builtin_patterns())
    if (type == p.type) return &p;
  return nullptr;
}

ServiceSpec default_service(uint32_t protocol) {
  ServiceSpec s;
  s.label = "custom";
  s.protocol = uint8_t(protocol);
  s.gap_ms = {{1, ln(20, 1.0)}};
  if (protocol == 6) {
    s.packets = {{0.3, ln(3, 0.4)}, {0.7, ln(12, 1.1)}};
    s.packet_size = {acks(0.6), {0.4, ln(500, 0.8)}};
    s.response_packet_size = {acks(0.3), {0.3, ln(500, 0.8)}, mtu(0.4)};
    s.response_ratio = 1.2;
    s.response_sigma = 0.5;
    s.reset_probability = 0.05;
  } else if (protocol == 1 || protocol == 58) {
    s.packets = {{1, empirical_dist({1, 4}, {0.8, 0.2})}};  // one probe, or ping's default 4
    s.packet_size = {{1, fixed_dist(protocol == 1 ? 84 : 104)}};  // 56 B payload + headers
    s.response_packet_size = s.packet_size;
    s.gap_ms = {{1, fixed_dist(1000)}};  // ping's default interval
  } else {
    s.packets = {{0.6, fixed_dist(1)}, {0.4, ln(5, 1.2)}};
    s.packet_size = {{1, ln(200, 0.9)}};
    s.response_packet_size = {{1, ln(300, 0.9)}};
    s.response_sigma = 0.5;
  }
  return s;
}

}  // namespace flowgen::detail
