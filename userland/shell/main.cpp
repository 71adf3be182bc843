// userland/shell — the shell on a terminal (docs/shell.md). usrinit starts
// it through procmgr.spawn with argv = {"shell", DEVICE} (serial0 or
// console0: terminal_name.hpp), its terminal (that device, Role::Stdout), the
// System capability and the services fs::fs and sys::procmgr; it reads
// lines, runs commands and programs, and never ends on bad input: every
// problem is a message and a fresh prompt.
#include <fs/fs.ipc.hpp>
#include <sys/devmgr.ipc.hpp>
#include <sys/procmgr.ipc.hpp>

#include "shell.hpp"

using namespace vesta;

namespace {

constexpr char kPrompt[] = "vesta> ";

} // namespace

void main(uint64_t) {
    const shell::Services services{
        .fs = user::service(proto::fs::fs::kId),
        .procmgr = user::service(proto::sys::procmgr::kId),
    };
    const uint64_t devmgr = user::service(proto::sys::devmgr::kId); // kNoSlot: no way back after a driver restart
    if (user::runtime.output == kNoSlot || services.fs == kNoSlot || services.procmgr == kNoSlot) {
        user::print("shell: started without a terminal (stdout {}), fs ({}) or procmgr ({}): nothing to do\n",
                    user::runtime.output != kNoSlot, services.fs != kNoSlot, services.procmgr != kNoSlot);
        user::exit(1);
    }
    // argv[1]: the terminal's device, which the shell opens again after its driver's restart.
    shell::TerminalDevice which;
    if (!shell::parse_terminal_name(user::argument(1), &which)) {
        user::print("shell: '{}' is not a terminal device (serial0, console0, ...): nothing to do\n",
                    user::argument(1));
        user::exit(2);
    }
    static shell::Terminal terminal;
    if (const Error e = terminal.start(user::runtime.output, which, services.procmgr, devmgr); e != Error::None) {
        user::print("shell: cannot start its terminal: {}\n", error_name(e));
        user::exit(1);
    }
    static shell::LineEditor editor; // about 4 KiB of history: off the stack
    editor.set_prompt(kPrompt);
    static shell::Shell the_shell(terminal, services, editor);
    if (const Error e = the_shell.prepare(); e != Error::None) {
        terminal.print("shell: no memory for its pages: {}\n", error_name(e));
        user::exit(1);
    }
    terminal.print("Vesta shell on {}. Type help for the commands.\n", which.name);
    terminal.write(kPrompt);
    for (;;) {
        uint8_t typed[64];
        const size_t n = terminal.read(typed, sizeof(typed));
        if (n == 0) { // the terminal came back after its driver's restart, with a notice
            char again[shell::LineEditor::kMaxEcho];
            size_t length = 0;
            editor.prompt_again(again, &length);
            terminal.write(again, length);
        }
        for (size_t i = 0; i < n; ++i) {
            char echo[shell::LineEditor::kMaxEcho];
            size_t echo_length = 0;
            const auto event = editor.feed(typed[i], echo, &echo_length);
            terminal.write(echo, echo_length);
            if (event == shell::LineEditor::Event::None) continue;
            if (event == shell::LineEditor::Event::TooLong) {
                terminal.print("shell: the line is longer than {} bytes; nothing was run\n",
                               shell::LineEditor::kMaxLine);
            } else if (event == shell::LineEditor::Event::Line) {
                static shell::CommandLine line;
                const auto problem = shell::parse_command_line(editor.line(), editor.length(), &line);
                if (problem != shell::CommandLine::Problem::None)
                    terminal.print("shell: {}\n", shell::problem_message(problem));
                else if (line.count > 0)
                    the_shell.execute(line);
            }
            the_shell.collect_jobs();
            terminal.write(kPrompt);
        }
    }
}
