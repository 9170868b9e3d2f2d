// TCP flag life cycles: defined inline in models_tcp_flags.hpp (hot path).
#include "models_tcp_flags.hpp"
