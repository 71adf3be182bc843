// userland/shell/shell.cpp — shell.hpp: each command's calls and output.
#include "shell.hpp"

#include "tables.hpp"

#include <dev/serial.ipc.hpp>
#include <fs/fs.ipc.hpp>
#include <io/file.ipc.hpp>
#include <sys/procmgr.ipc.hpp>
#include <vesta/ipc/syscall_transport.hpp>
#include <vesta/process_records.hpp>

namespace shell {

using namespace vesta;
using namespace vesta::user;
namespace fs = vesta::proto::fs;
namespace io = vesta::proto::io;
namespace sys = vesta::proto::sys;

namespace {

ipc::SyscallTransport& transport() {
    static ipc::SyscallTransport the_transport(runtime.ipc_buffer);
    return the_transport;
}

ipc::CapList one(uint64_t slot) { return ipc::CapList{{slot}, 1}; }

size_t length_of(const char* text) {
    size_t n = 0;
    while (text[n]) ++n;
    return n;
}

// What a failed call means, for a person.
const char* status_text(ipc::Status status) {
    if (!status.is_protocol_error()) return error_name(status.abi_error());
    const ipc::ProtocolError error = status.protocol_error();
    if (error == fs::not_found) return "no such file or directory";
    if (error == fs::not_directory) return "not a directory";
    if (error == fs::is_directory) return "is a directory";
    if (error == fs::bad_path) return "not a valid path";
    if (error == fs::end_of_directory) return "end of directory";
    if (error == sys::no_process) return "no such process";
    if (error == sys::bad_state) return "the process is not running";
    if (error == sys::bad_image) return "not a program (not an ELF executable for this machine)";
    if (error == sys::table_full) return "the process table is full";
    if (error == io::io_error) return "input/output error";
    return "an unknown protocol error";
}

void copy_name(char* to, size_t capacity, const char* from) {
    size_t i = 0;
    for (; from[i] && i + 1 < capacity; ++i) to[i] = from[i];
    to[i] = '\0';
}

} // namespace

Error Shell::prepare() {
    Page* pages[] = {&path_, &table_, &data_};
    for (Page* page : pages) {
        uint64_t address = 0;
        if (const Error e = map_new_pages(1, rights::kRead | rights::kWrite, &address, &page->slot); e != Error::None)
            return e;
        page->data = reinterpret_cast<uint8_t*>(address);
    }
    return Error::None;
}

void Shell::say_error(const char* what, const char* name, ipc::Status status) {
    terminal_.print("{}: {}: {}\n", what, name, status_text(status));
}

size_t Shell::put_path(const char* command, const char* path) {
    const size_t n = length_of(path);
    if (n == 0 || n > 255) {
        terminal_.print("{}: a path has 1 to 255 bytes\n", command);
        return 0;
    }
    __builtin_memcpy(path_.data, path, n);
    return n;
}

void Shell::execute(const CommandLine& line) {
    const Command* command = find_command(line.words[0]);
    if (!command) { // a program: `hello a b` is `run hello a b`
        run(line.words, line.count, line.background, false);
        return;
    }
    const size_t arguments = line.count - 1;
    if (line.background && command->id != CommandId::Run) {
        terminal_.print("{}: only programs run in the background ('&')\n", command->name);
        return;
    }
    if (!arguments_fit(*command, arguments)) {
        terminal_.print("{}: {} (usage: {} {})\n", command->name,
                        arguments > command->max_arguments ? "too many arguments" : "missing arguments", command->name,
                        command->usage);
        return;
    }
    const char* first = arguments > 0 ? line.words[1] : nullptr;
    switch (command->id) {
    case CommandId::Help: help(); break;
    case CommandId::Ls: list_directory(first ? first : "/"); break;
    case CommandId::Cat: cat(first); break;
    case CommandId::Stat: stat(first); break;
    case CommandId::Run: run(line.words + 1, arguments, line.background, true); break;
    case CommandId::Ps: ps(); break;
    case CommandId::Kill: kill(first); break;
    case CommandId::Caps: caps(first); break;
    case CommandId::Mem: mem(); break;
    case CommandId::Devices: devices(); break;
    case CommandId::Log: log(); break;
    case CommandId::Echo: echo(line.words + 1, arguments); break;
    case CommandId::History: history(); break;
    case CommandId::Poweroff: power(false); break;
    case CommandId::Reboot: power(true); break;
    }
}

void Shell::help() {
    size_t count = 0;
    const Command* table = commands(&count);
    terminal_.write("Commands (a line that starts with another word runs that program):\n");
    for (size_t i = 0; i < count; ++i) {
        char left[48];
        BufferSink sink(left, sizeof(left));
        format(sink, "{} {}", table[i].name, table[i].usage);
        char row[kRowSize * 2];
        Row(row, sizeof(row)).text("  ").left(sink.text(), 30).text(table[i].summary).end();
        terminal_.write(row);
    }
    terminal_.write("Keys: Backspace, Ctrl-U (erase the line), Ctrl-C (stop the program), Up/Down (history)\n");
}

void Shell::list_directory(const char* path) {
    const size_t path_length = put_path("ls", path);
    if (!path_length) return;
    auto kind = fs::fs::stat(transport(), services_.fs, path_.slot, data_.slot, 0, path_length, 0);
    if (!kind.ok()) return say_error("ls", path, kind.error());
    if (kind.value() != fs::node_kind::DIRECTORY) {
        uint64_t size = 0;
        __builtin_memcpy(&size, data_.data + 8, sizeof(size));
        terminal_.print("{} {}\n", size, path);
        return;
    }
    // Each entry's name, then its kind and size through stat of PATH/NAME.
    constexpr uint64_t kMaxEntries = 256; // the bootstrap filesystem's node limit
    for (uint64_t index = 0; index < kMaxEntries; ++index) {
        __builtin_memcpy(path_.data, path, path_length);
        auto name_length = fs::fs::readdir(transport(), services_.fs, path_.slot, table_.slot, 0, path_length, index);
        if (!name_length.ok()) {
            if (name_length.error() != ipc::Status(fs::end_of_directory)) say_error("ls", path, name_length.error());
            return;
        }
        char name[256];
        const size_t n = name_length.value() < sizeof(name) - 1 ? name_length.value() : sizeof(name) - 1;
        __builtin_memcpy(name, table_.data, n);
        name[n] = '\0';
        size_t full = path_length;
        if (full + 1 + n > 255) continue;
        if (path_.data[full - 1] != '/') path_.data[full++] = '/';
        __builtin_memcpy(path_.data + full, name, n);
        full += n;
        auto entry = fs::fs::stat(transport(), services_.fs, path_.slot, data_.slot, 0, full, 0);
        uint64_t size = 0;
        __builtin_memcpy(&size, data_.data + 8, sizeof(size));
        char row[kRowSize];
        if (entry.ok() && entry.value() == fs::node_kind::DIRECTORY)
            Row(row).right("-", 8).text("  ").text(name).text("/").end();
        else
            Row(row).right(size, 8).text("  ").text(name).end();
        terminal_.write(row);
    }
}

void Shell::stat(const char* path) {
    const size_t path_length = put_path("stat", path);
    if (!path_length) return;
    auto kind = fs::fs::stat(transport(), services_.fs, path_.slot, data_.slot, 0, path_length, 0);
    if (!kind.ok()) return say_error("stat", path, kind.error());
    uint64_t size = 0;
    __builtin_memcpy(&size, data_.data + 8, sizeof(size));
    if (kind.value() == fs::node_kind::DIRECTORY)
        terminal_.print("{}: directory\n", path);
    else
        terminal_.print("{}: regular file, {} bytes\n", path, size);
}

void Shell::cat(const char* path) {
    const size_t path_length = put_path("cat", path);
    if (!path_length) return;
    auto opened = fs::fs::open(transport(), services_.fs, path_.slot, 0, path_length, fs::open_mode::READ);
    if (!opened.ok()) return say_error("cat", path, opened.error());
    const uint64_t file = opened.value().file;
    // Text as it is; other bytes as '.', so a binary file cannot upset the terminal.
    constexpr size_t kMaxReads = 1024; // 4 MiB: beyond any file of the initramfs
    for (size_t reads = 0; reads < kMaxReads; ++reads) {
        auto n = io::file::read(transport(), file, one(data_.slot), 0, kPageSize);
        if (!n.ok()) {
            say_error("cat", path, n.error());
            break;
        }
        if (n.value() == 0) break;
        char* text = reinterpret_cast<char*>(data_.data);
        for (size_t i = 0; i < n.value(); ++i) {
            const auto c = static_cast<uint8_t>(text[i]);
            if (!(c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f))) text[i] = '.';
        }
        terminal_.write(text, n.value());
    }
    invoke(runtime.cspace, CapabilitySpaceLabel::Delete, file);
}

void Shell::run(const char* const* words, size_t count, bool background, bool asked_to_run) {
    // The path, then argv: the program's name (its file name) and the other words, each with its NUL.
    const char* path = words[0];
    const size_t path_length = length_of(path);
    if (path_length == 0 || path_length > 255) {
        terminal_.print("run: a program's path has 1 to 255 bytes\n");
        return;
    }
    __builtin_memcpy(path_.data, path, path_length);
    size_t at = path_length;
    for (size_t i = 0; i < count; ++i) {
        const char* word = i == 0 ? base_name(path) : words[i];
        const size_t n = length_of(word);
        __builtin_memcpy(path_.data + at, word, n + 1); // fits: a line is at most 200 bytes
        at += n + 1;
    }
    // The terminal for output, and sys::devmgr (minted for the program by
    // procmgr): a program run by a person may open devices as the shell can
    // (showkey opens keyboard0). It gets no procmgr and no System.
    const ipc::CapList grants = one(terminal_.device());
    const uint32_t roles = static_cast<uint32_t>(startup::Role::Stdout) | sys::kSpawnGiveDevmgr;
    auto spawned =
        sys::procmgr::spawn(transport(), services_.procmgr, path_.slot, grants, path_length, at - path_length, roles);
    if (!spawned.ok()) {
        bool has_slash = false;
        for (const char* c = path; *c; ++c) has_slash = has_slash || *c == '/';
        if (!asked_to_run && !has_slash && spawned.error() == ipc::Status(fs::not_found)) {
            terminal_.print("{}: unknown command, and no program of that name (help lists the commands)\n", path);
            return;
        }
        return say_error("run", path, spawned.error());
    }
    const uint64_t pid = spawned.value();
    const char* name = base_name(path);
    if (background) {
        if (job_count_ < kMaxJobs) {
            jobs_[job_count_].pid = pid;
            copy_name(jobs_[job_count_].name, sizeof(jobs_[job_count_].name), name);
            ++job_count_;
        }
        terminal_.print("[{}] {} running in the background (kill {} stops it)\n", pid, name, pid);
        return;
    }
    terminal_.set_foreground(pid);
    auto status = sys::procmgr::wait(transport(), services_.procmgr, pid);
    terminal_.set_foreground(0);
    if (!status.ok()) return say_error("run", name, status.error());
    // A fault is also reported by sysinit, through the kernel log, which the
    // serial driver forwards every 20 ms: give its line a moment to come first.
    constexpr uint64_t kLogDelayTicks = 5;
    if (status.value() < 0 && status.value() >= -static_cast<int64_t>(FaultKind::Protection))
        terminal_.sleep(kLogDelayTicks);
    char text[80];
    BufferSink sink(text, sizeof(text));
    describe_status(status.value(), sink);
    terminal_.print("{}: {}\n", name, sink.text());
}

void Shell::collect_jobs() {
    if (job_count_ == 0) return;
    const size_t count = list_processes();
    const auto* records = reinterpret_cast<const records::ProcessRecord*>(table_.data);
    for (size_t j = 0; j < job_count_;) {
        bool ended = true; // gone from the table: someone else collected it
        for (size_t i = 0; i < count; ++i)
            if (records[i].pid == jobs_[j].pid)
                ended = records[i].state == static_cast<uint8_t>(records::ProcessState::Ended);
        if (!ended) {
            ++j;
            continue;
        }
        auto status = sys::procmgr::wait(transport(), services_.procmgr, jobs_[j].pid); // answers at once
        char text[80];
        BufferSink sink(text, sizeof(text));
        if (status.ok())
            describe_status(status.value(), sink);
        else
            format(sink, "ended");
        terminal_.print("[{}] {}: {}\n", jobs_[j].pid, static_cast<const char*>(jobs_[j].name), sink.text());
        jobs_[j] = jobs_[--job_count_];
    }
}

size_t Shell::list_processes() {
    auto count = sys::procmgr::list(transport(), services_.procmgr, table_.slot);
    if (!count.ok()) {
        terminal_.print("procmgr.list: {}\n", status_text(count.error()));
        return 0;
    }
    return count.value() < records::kMaxProcessRecords ? count.value() : records::kMaxProcessRecords;
}

void Shell::ps() {
    const size_t count = list_processes();
    const auto* records = reinterpret_cast<const records::ProcessRecord*>(table_.data);
    terminal_.write(kProcessHeader);
    for (size_t i = 0; i < count; ++i) {
        char row[kRowSize];
        process_row(records[i], row);
        terminal_.write(row);
    }
}

void Shell::kill(const char* pid_text) {
    int64_t pid = 0;
    if (!parse_integer(pid_text, false, &pid) || pid == 0) {
        terminal_.print("kill: '{}' is not a process id\n", pid_text);
        return;
    }
    auto killed = sys::procmgr::kill(transport(), services_.procmgr, static_cast<uint64_t>(pid), kKilledStatus);
    if (!killed.ok()) return say_error("kill", pid_text, killed.error());
    terminal_.print("killed {}\n", pid);
}

void Shell::caps(const char* pid_text) {
    int64_t pid = 0;
    if (!parse_integer(pid_text, false, &pid)) {
        terminal_.print("caps: '{}' is not a process id\n", pid_text);
        return;
    }
    auto count = sys::procmgr::capabilities(transport(), services_.procmgr, table_.slot, static_cast<uint64_t>(pid));
    if (!count.ok()) return say_error("caps", pid_text, count.error());
    const auto* records = reinterpret_cast<const records::CapabilityRecord*>(table_.data);
    const size_t n = count.value() < records::kMaxCapabilityRecords ? count.value() : records::kMaxCapabilityRecords;
    terminal_.write(kCapabilityHeader);
    for (size_t i = 0; i < n; ++i) {
        char row[kRowSize];
        capability_row(records[i], row);
        terminal_.write(row);
    }
    terminal_.print("{} capabilities\n", n);
}

void Shell::mem() {
    const size_t count = list_processes();
    const auto* records = reinterpret_cast<const records::ProcessRecord*>(table_.data);
    terminal_.write(kMemoryHeader);
    for (size_t i = 0; i < count; ++i) {
        char row[kRowSize];
        memory_row(records[i], row);
        terminal_.write(row);
    }
}

void Shell::devices() {
    auto count = sys::procmgr::devices(transport(), services_.procmgr, data_.slot);
    if (!count.ok()) return say_error("devices", "procmgr.devices", count.error());
    const size_t processes = list_processes(); // for the drivers' names
    const auto* table = reinterpret_cast<const records::ProcessRecord*>(table_.data);
    const auto* records = reinterpret_cast<const records::DeviceRecord*>(data_.data);
    const size_t n = count.value() < records::kMaxDeviceRecords ? count.value() : records::kMaxDeviceRecords;
    terminal_.write(kDeviceHeader);
    for (size_t i = 0; i < n; ++i) {
        char name[sizeof(table[0].name) + 1] = {};
        for (size_t p = 0; p < processes; ++p)
            if (table[p].pid == records[i].driver) copy_name(name, sizeof(name), table[p].name);
        char row[kRowSize];
        device_row(records[i], name, row);
        terminal_.write(row);
    }
    terminal_.print("{} device{}\n", n, n == 1 ? "" : "s");
}

void Shell::log() {
    // Console.Read from the oldest byte the ring still holds: ask for the end first.
    constexpr uint64_t kEnd = ~uint64_t{0}, kRing = 16 * 1024;
    const InvokeResult end = invoke(runtime.console, ConsoleLabel::Read, kEnd);
    if (end.error != Error::None) {
        terminal_.print("log: Console.Read: {}\n", error_name(end.error));
        return;
    }
    uint64_t next = end.words[0] > kRing ? end.words[0] - kRing : 0;
    for (int reads = 0; reads < 1024; ++reads) { // a ring's worth, with room to spare
        const InvokeResult read = invoke(runtime.console, ConsoleLabel::Read, next);
        if (read.error != Error::None || read.words[1] == 0) break;
        char text[kMaxMessageWords * 8];
        const size_t count = read.words[1] < sizeof(text) ? read.words[1] : sizeof(text);
        for (size_t i = 0; i < count; ++i)
            text[i] = static_cast<char>(runtime.ipc_buffer->words[i / 8] >> (8 * (i % 8)));
        next = read.words[0];
        terminal_.write(text, count);
    }
}

void Shell::echo(const char* const* words, size_t count) {
    for (size_t i = 0; i < count; ++i) {
        if (i) terminal_.write(" ");
        terminal_.write(words[i]);
    }
    terminal_.write("\n");
}

void Shell::history() {
    for (size_t i = editor_.history_count(); i > 0; --i) {
        char row[kRowSize * 3];
        Row(row, sizeof(row)).right(editor_.history_count() - i + 1, 4).text("  ").text(editor_.history(i - 1)).end();
        terminal_.write(row);
    }
}

void Shell::power(bool reboot) {
    if (runtime.system == kNoSlot) {
        terminal_.print("{}: this shell holds no System capability\n", reboot ? "reboot" : "poweroff");
        return;
    }
    terminal_.write(reboot ? "rebooting\n" : "powering off\n");
    const InvokeResult result =
        reboot ? invoke(runtime.system, SystemLabel::Reboot) : invoke(runtime.system, SystemLabel::PowerOff, 0);
    terminal_.print("{}: {}\n", reboot ? "reboot" : "poweroff", error_name(result.error));
}

} // namespace shell
