// A JSON string literal from UTF-8 text, for the writers that build JSON
// text directly (bench points, the result and fd table writer).
#pragma once

#include <string>
#include <string_view>

namespace spawnlab {

// Quotes `s`, escaping '"', '\\', \n, \t and other control bytes (\u00XX);
// every other byte as it is.
std::string jsonString(std::string_view s);

} // namespace spawnlab
