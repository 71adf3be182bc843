// userland/shell/commands.cpp — commands.hpp.
#include "commands.hpp"

#include <vesta/process_records.hpp>
#include <vesta/syscall.hpp>

namespace shell {

namespace {

constexpr Command kCommands[] = {
    {CommandId::Help, "help", "", "list the commands", 0, 0},
    {CommandId::Ls, "ls", "[path]", "list a directory of the bootstrap filesystem (default /)", 0, 1},
    {CommandId::Cat, "cat", "path", "print a file", 1, 1},
    {CommandId::Stat, "stat", "path", "kind and size of a file or directory", 1, 1},
    {CommandId::Run, "run", "program [args...] [&]", "start a program (or just: program args...)", 1, 15},
    {CommandId::Ps, "ps", "", "the processes: pid, name, state, pages, capabilities, restarts", 0, 0},
    {CommandId::Kill, "kill", "pid", "stop a process", 1, 1},
    {CommandId::Caps, "caps", "pid", "a process's capabilities: slot, type, rights, badge", 1, 1},
    {CommandId::Mem, "mem", "", "memory pools: total and free pages", 0, 0},
    {CommandId::Devices, "devices", "", "the device registry: interface, index, driver pid", 0, 0},
    {CommandId::Log, "log", "", "the kernel log (its last 16 KiB)", 0, 0},
    {CommandId::Echo, "echo", "[words...]", "print the words", 0, 15},
    {CommandId::History, "history", "", "the lines typed lately (Up and Down recall them)", 0, 0},
    {CommandId::Poweroff, "poweroff", "", "turn the machine off", 0, 0},
    {CommandId::Reboot, "reboot", "", "restart the machine", 0, 0},
};

bool same(const char* a, const char* b) {
    for (; *a && *a == *b; ++a, ++b) {
    }
    return *a == *b;
}

} // namespace

const Command* commands(size_t* count) {
    *count = sizeof(kCommands) / sizeof(kCommands[0]);
    return kCommands;
}

const Command* find_command(const char* name) {
    for (const Command& command : kCommands)
        if (same(command.name, name)) return &command;
    return nullptr;
}

bool arguments_fit(const Command& command, size_t arguments) {
    return arguments >= command.min_arguments && arguments <= command.max_arguments;
}

bool parse_integer(const char* text, bool allow_negative, int64_t* value) {
    bool negative = false;
    if (allow_negative && *text == '-') {
        negative = true;
        ++text;
    }
    if (!*text) return false;
    uint64_t magnitude = 0;
    for (; *text; ++text) {
        if (*text < '0' || *text > '9') return false;
        magnitude = magnitude * 10 + static_cast<uint64_t>(*text - '0');
        if (magnitude > (uint64_t{1} << 62)) return false;
    }
    *value = negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
    return true;
}

const char* base_name(const char* path) {
    const char* name = path;
    for (const char* c = path; *c; ++c)
        if (*c == '/' && c[1]) name = c + 1;
    return name;
}

void describe_status(int64_t status, vesta::BufferSink& out) {
    using vesta::FaultKind;
    if (status == kInterruptedStatus) {
        vesta::format(out, "interrupted (Ctrl-C)");
    } else if (status == kKilledStatus) {
        vesta::format(out, "killed (status {})", status);
    } else if (status < 0 && status >= -static_cast<int64_t>(FaultKind::Protection)) {
        vesta::format(out, "stopped by {} {} (status {})",
                      status == -static_cast<int64_t>(FaultKind::UndefinedInstruction) ||
                              status == -static_cast<int64_t>(FaultKind::UnknownSyscall) ||
                              status == -static_cast<int64_t>(FaultKind::Alignment) ||
                              status == -static_cast<int64_t>(FaultKind::Arithmetic)
                          ? "an"
                          : "a",
                      vesta::fault_kind_name(static_cast<FaultKind>(-status)), status);
    } else if (status == -256) {
        vesta::format(out, "could not start (status {})", status);
    } else {
        vesta::format(out, "exited with status {}", status);
    }
}

const char* object_type_name(uint8_t type) {
    static constexpr const char* kNames[] = {
        "None",          "Memory",   "Page",         "DeviceMemory", "CapabilitySpace", "VirtualSpace",
        "Task",          "Endpoint", "Notification", "Reply",        "IrqControl",      "IrqHandler",
        "IoPortControl", "IoPort",   "Console",      "System",
    };
    return type < sizeof(kNames) / sizeof(kNames[0]) ? kNames[type] : "?";
}

const char* process_state_name(uint8_t state) {
    using vesta::records::ProcessState;
    switch (static_cast<ProcessState>(state)) {
    case ProcessState::New: return "new";
    case ProcessState::Loaded: return "loaded";
    case ProcessState::Running: return "running";
    case ProcessState::Ended: return "ended";
    }
    return "?";
}

void rights_text(uint8_t rights, char out[5]) {
    out[0] = (rights & vesta::rights::kRead) ? 'R' : '-';
    out[1] = (rights & vesta::rights::kWrite) ? 'W' : '-';
    out[2] = (rights & vesta::rights::kExecute) ? 'X' : '-';
    out[3] = (rights & vesta::rights::kGrant) ? 'G' : '-';
    out[4] = '\0';
}

const char* interface_name(uint32_t interface_id) {
    // FNV-1a of the qualified names (docs/idl.md, "Interface ids"); the host test checks them.
    switch (interface_id) {
    case 0x5430284c: return "dev::serial";
    case 0x68928961: return "dev::console";
    case 0x1d13f905: return "dev::keyboard";
    default: return nullptr;
    }
}

} // namespace shell
