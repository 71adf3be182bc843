// userland/shell/shell.hpp — the shell's commands over the services usrinit
// gave it (docs/shell.md): the bootstrap filesystem (fs::fs), the process
// manager (sys::procmgr: spawn, wait, kill, list, capabilities, devices),
// the Console (the kernel log) and the System capability (poweroff,
// reboot). The line editing, parsing and texts are portable
// (line_editor, command_line, commands); this is the thin part that calls.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vesta/ipc/status.hpp>

#include "command_line.hpp"
#include "commands.hpp"
#include "line_editor.hpp"
#include "terminal.hpp"

namespace shell {

struct Services {
    uint64_t fs = vesta::kNoSlot;
    uint64_t procmgr = vesta::kNoSlot;
};

class Shell {
public:
    static constexpr size_t kMaxJobs = 8; // background programs it remembers

    Shell(Terminal& terminal, const Services& services, LineEditor& editor)
        : terminal_(terminal), services_(services), editor_(editor) {}

    // Pages for paths and records. Errors: Memory.Create's, VirtualSpace.Map's.
    vesta::Error prepare();
    // Runs one parsed, non-empty command line.
    void execute(const CommandLine& line);
    // Reports and collects background programs that ended (before a prompt).
    void collect_jobs();

private:
    void help();
    void list_directory(const char* path);
    void cat(const char* path);
    void stat(const char* path);
    // `asked_to_run`: the line said `run`; else the first word named no command.
    void run(const char* const* words, size_t count, bool background, bool asked_to_run);
    void ps();
    void kill(const char* pid_text);
    void caps(const char* pid_text);
    void mem();
    void devices();
    void log();
    void echo(const char* const* words, size_t count);
    void history();
    void power(bool reboot);

    // The path in the path page; its length, or 0 (a message said why).
    size_t put_path(const char* command, const char* path);
    // procmgr.list into the table page: the count of records.
    size_t list_processes();
    void say_error(const char* what, const char* name, vesta::ipc::Status status);

    Terminal& terminal_;
    const Services& services_;
    LineEditor& editor_;
    struct Page {
        uint64_t slot = vesta::kNoSlot;
        uint8_t* data = nullptr;
    };
    Page path_, table_, data_;
    struct Job {
        uint64_t pid;
        char name[24];
    };
    Job jobs_[kMaxJobs] = {};
    size_t job_count_ = 0;
};

} // namespace shell
