// userland/shell/commands.hpp — the shell's command table and the text it
// prints about processes, capabilities and statuses (portable: the host
// tests check the table, the argument counts and every text,
// test/unit/userland/shell/). The commands themselves run in builtins.cpp.
//
// A line's first word is looked up here; a word that names no command is a
// program of the bootstrap filesystem (`hello a b` = `run hello a b`).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <lib/format.hpp>

namespace shell {

enum class CommandId : uint8_t {
    Help,
    Ls,
    Cat,
    Stat,
    Run,
    Ps,
    Kill,
    Caps,
    Mem,
    Devices,
    Log,
    Echo,
    History,
    Poweroff,
    Reboot,
};

struct Command {
    CommandId id;
    const char* name;
    const char* usage;     // the arguments, "" for none
    const char* summary;   // one line for help
    uint8_t min_arguments; // besides the command's own name
    uint8_t max_arguments;
};

// The table, in the order help lists it.
const Command* commands(size_t* count);
// The command named `name`, or nullptr.
const Command* find_command(const char* name);
// Whether `arguments` (besides the name) suit the command.
bool arguments_fit(const Command& command, size_t arguments);

// A decimal number (optionally negative when `allow_negative`), all of
// `text`; false for anything else, an empty text or an overflow.
bool parse_integer(const char* text, bool allow_negative, int64_t* value);

// The name a program path resolves to for messages: its last component.
const char* base_name(const char* path);

// How a program ended, for the line the shell prints after it:
// "exited with status 0", "stopped by a page fault (status -1)",
// "interrupted (Ctrl-C)", "killed (status 137)".
inline constexpr int64_t kInterruptedStatus = 130; // procmgr.kill's status for Ctrl-C
inline constexpr int64_t kKilledStatus = 137;      // and for `kill PID`
void describe_status(int64_t status, vesta::BufferSink& out);

// Names for what the records hold.
const char* object_type_name(uint8_t type);        // vesta::ObjectType: "Endpoint", "?" beyond the table
const char* process_state_name(uint8_t state);     // records::ProcessState: "running"…
void rights_text(uint8_t rights, char out[5]);     // "RWXG" with '-' for a missing right
const char* interface_name(uint32_t interface_id); // "dev::serial" for the ids the shell knows, else nullptr

} // namespace shell
