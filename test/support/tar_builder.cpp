// test/support/tar_builder.cpp — ustar entries for tests (tar_builder.hpp).
#include "tar_builder.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace vesta::test {

namespace {
constexpr size_t kBlock = 512;
}

void put_tar_entry(std::vector<uint8_t>& out, const std::string& name, const std::string& data, char type,
                   const std::string& prefix) {
    uint8_t header[kBlock] = {};
    std::memcpy(header, name.data(), std::min<size_t>(name.size(), 100));
    std::snprintf(reinterpret_cast<char*>(header + 100), 8, "%07o", 0644);
    std::snprintf(reinterpret_cast<char*>(header + 124), 12, "%011o", static_cast<unsigned>(data.size()));
    std::snprintf(reinterpret_cast<char*>(header + 136), 12, "%011o", 0);
    header[156] = static_cast<uint8_t>(type);
    std::memcpy(header + 257,
                "ustar\0"
                "00",
                8);
    std::memcpy(header + 345, prefix.data(), std::min<size_t>(prefix.size(), 155));
    std::memset(header + 148, ' ', 8); // the checksum counts its own field as spaces
    unsigned sum = 0;
    for (uint8_t b : header) sum += b;
    std::snprintf(reinterpret_cast<char*>(header + 148), 8, "%06o", sum);
    header[155] = ' ';
    out.insert(out.end(), header, header + kBlock);
    out.insert(out.end(), data.begin(), data.end());
    out.resize((out.size() + kBlock - 1) / kBlock * kBlock, 0);
}

void end_tar(std::vector<uint8_t>& out) { out.resize(out.size() + 2 * kBlock, 0); }

} // namespace vesta::test
