// userland/shell/terminal.hpp — the shell's terminal: the serial device
// (an io::file endpoint usrinit gives the shell as its standard output),
// read by a second thread of the shell so that Ctrl-C is heard while the
// first thread waits for a program (docs/shell.md, "How it works").
//
// The reader thread loops: io::file.read on the device (the driver holds
// the call until bytes arrive) → for each byte: Ctrl-C while a foreground
// program runs is procmgr.kill(pid, kInterruptedStatus), any other byte
// goes into a ring (1 KiB; bytes beyond it are dropped) → Signal the main
// thread's notification. The main thread takes bytes from the ring and
// waits on the notification when it is empty. The ring has one writer and
// one reader, each index written by one side only (release/acquire), and
// the foreground pid is one atomic word: no lock, no lost wake-up (a
// notification remembers a signal sent before the wait).
//
// A restarted driver (docs/userland.md, "Supervision"): when the terminal's
// device's driver dies (serial0's, console0's: the TerminalDevice usrinit
// named in argv[1]), the device's endpoint dies with it (reads and writes fail
// with PeerGone, then InvalidCapability). Only the main thread opens the
// device again (devmgr.open of its interface and index, waiting while the registry
// says `restarting`); it does so when a write fails that way, or when the
// reader reports its read failed. The reader reports by storing the
// generation of the endpoint it used (plus one), signalling the main
// thread and waiting on its own notification; the main thread then opens
// the device if nobody has since, puts the current endpoint into the
// reader's slot (the reader is parked, so the slot is not in use), clears
// the report and wakes it. While a foreground program runs the main thread
// is in procmgr.wait: the terminal comes back when the program ends (its
// output went to the dead endpoint, so it likely failed anyway). Bytes
// typed while the driver was down are lost with it.
//
// Race-free Ctrl-C: the main thread publishes the pid before procmgr.wait
// and clears it after; a Ctrl-C that reads a pid whose wait has just ended
// kills a pid that is already collected (procmgr answers no_process, pids
// are never reused): nothing else can be hit.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <user/runtime.hpp>

#include "terminal_name.hpp"

namespace shell {

class Terminal {
public:
    // `device`: the terminal's endpoint (an io::file: dev::serial or
    // dev::console), `which` names it; `procmgr`: for the reader's kill;
    // `devmgr`: to open `which` again after its driver's restart (kNoSlot:
    // the terminal does not come back). Errors: the pages', the
    // notifications' and the thread's creation.
    vesta::Error start(uint64_t device, const TerminalDevice& which, uint64_t procmgr, uint64_t devmgr);

    // Sends text to the device, LF as CR LF (a LF already after CR stays).
    void write(const char* text, size_t length);
    void write(const char* text);
    template <class... Args>
    void print(const char* pattern, const Args&... args) {
        char buffer[320];
        vesta::BufferSink sink(buffer, sizeof(buffer));
        vesta::format(sink, pattern, args...);
        write(sink.text(), sink.length());
    }

    // Blocks until bytes were typed; copies up to `capacity` of them.
    // Returns 0 when the device came back after its driver's restart since
    // the last read (the notice printed meanwhile, maybe over the prompt):
    // the caller draws its prompt again.
    size_t read(uint8_t* out, size_t capacity);

    // Lets `ticks` scheduler ticks (10 ms) pass (Poll on a notification no one signals).
    void sleep(uint64_t ticks);

    // The program Ctrl-C stops (0: none).
    void set_foreground(uint64_t pid);

    uint64_t device() const { return device_; }

private:
    // Opens the device again (see the file comment); false without devmgr.
    bool reconnect();
    // The reader reported a failed read: reconnect if needed, hand it the endpoint, wake it.
    void serve_reader_report();

    uint64_t device_ = vesta::kNoSlot;
    uint64_t devmgr_ = vesta::kNoSlot;
    TerminalDevice which_;
    uint32_t generation_ = 0; // of device_: one more per reconnect
    bool reconnecting_ = false;
    bool came_back_ = false;           // reconnected since the last read()
    uint64_t resume_ = vesta::kNoSlot; // the reader waits on it after reporting
    vesta::user::Spawned reader_{};
    uint64_t notification_ = vesta::kNoSlot;
    uint64_t sleep_ = vesta::kNoSlot; // never signalled
    uint64_t out_page_ = vesta::kNoSlot;
    char* out_ = nullptr;
    bool after_cr_ = false;
};

} // namespace shell
