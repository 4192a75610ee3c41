#include "fdtext.h"

#include "spawnlab/fddiff.h"

#include <algorithm>
#include <array>
#include <vector>

namespace spawnlab {

std::string fdTableText(const FdTable &table)
{
    using Row = std::array<std::string, 5>;
    std::vector<Row> rows{{"FD", "MODE", "TYPE", "NODE", "NAME"}};
    for (const FdEntry &e : table) {
        std::string mode(fdAccessName(e.access));
        if (e.cloexec) mode += ",cloexec";
        std::string type(fdKindName(e.kind));
        if (!e.subkind.empty()) type += "/" + e.subkind;
        rows.push_back({std::to_string(e.fd), mode, type, std::to_string(e.inode), e.target});
    }

    std::array<std::size_t, 5> width{};
    for (const Row &row : rows)
        for (std::size_t c = 0; c < row.size(); ++c)
            width[c] = std::max(width[c], row[c].size());

    std::string out;
    for (const Row &row : rows) {
        // NAME is last and unpadded, so long paths do not drag trailing spaces.
        for (std::size_t c = 0; c + 1 < row.size(); ++c)
            out += row[c] + std::string(width[c] - row[c].size() + 2, ' ');
        out += row.back() + '\n';
    }
    // Below the table rather than in a column: the sentences are long, and NAME
    // stays the last column so paths with spaces still read.
    std::string risks;
    for (const FdEntry &e : table)
        if (auto risk = leakRisk(e))
            risks += "fd " + std::to_string(e.fd) + " may leak, " + *risk + '\n';
    if (!risks.empty()) out += "\n" + risks;
    return out;
}

} // namespace spawnlab
