// The brief's C++ example: 100 000 records of web and DNS traffic printed as CSV.
// Build against an installed library with: g++ -std=c++17 basic_usage.cpp -lflowgen
#include <flowgen/generator.hpp>
#include <iostream>

int main() {
    flowgen::GeneratorConfig config;

    // Configure generator
    config.bandwidth_gbps = 10.0;
    config.max_flows = 100000;
    config.source_subnets = {"192.168.1.0/24"};
    config.destination_subnets = {"10.0.0.0/8"};
    config.traffic_patterns = {
        {"web_traffic", 60.0},
        {"dns_traffic", 40.0}
    };

    // Initialize and generate
    flowgen::FlowGenerator generator;
    if (!generator.initialize(config)) {
        std::cerr << "flowgen: " << generator.last_error() << "\n";
        return 1;
    }

    flowgen::FlowRecord flow;
    while (generator.next(flow)) {
        // Process flow
        std::cout << flow.to_csv() << "\n";
    }

    const flowgen::Stats stats = generator.get_stats();
    std::cerr << "generated " << stats.flows_generated << " flows over "
              << stats.simulated_seconds << " simulated seconds\n";
    return 0;
}
