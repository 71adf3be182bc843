// test/support/tar_builder.hpp — ustar archives for tests of lib/tar and of
// the bootstrap filesystem's tree (userland/sysinit/bootfs_tree): headers
// shaped like GNU tar's output (mode 0644, "ustar\0" "00", checksum as six
// octal digits, NUL, space), each entry's data padded to 512 bytes. No test
// framework, so fuzz-corpus generators can use it too.
#pragma once

#include <stdint.h>
#include <string>
#include <vector>

namespace vesta::test {

// Appends one entry: its header (`name` in the name field, `prefix` in the
// ustar prefix field, both cut to their field's size; `type` '0' file,
// '5' directory, '2' symbolic link…) and `data`, padded to a block.
void put_tar_entry(std::vector<uint8_t>& out, const std::string& name, const std::string& data, char type = '0',
                   const std::string& prefix = "");

// Appends the two zero blocks that end an archive.
void end_tar(std::vector<uint8_t>& out);

} // namespace vesta::test
