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
// Race-free Ctrl-C: the main thread publishes the pid before procmgr.wait
// and clears it after; a Ctrl-C that reads a pid whose wait has just ended
// kills a pid that is already collected (procmgr answers no_process, pids
// are never reused): nothing else can be hit.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <user/runtime.hpp>

namespace shell {

class Terminal {
public:
    // `device`: the serial endpoint; `procmgr`: for the reader's kill.
    // Errors: the pages', the notification's and the thread's creation.
    vesta::Error start(uint64_t device, uint64_t procmgr);

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
    size_t read(uint8_t* out, size_t capacity);

    // Lets `ticks` scheduler ticks (10 ms) pass (Poll on a notification no one signals).
    void sleep(uint64_t ticks);

    // The program Ctrl-C stops (0: none).
    void set_foreground(uint64_t pid);

    uint64_t device() const { return device_; }

private:
    uint64_t device_ = vesta::kNoSlot;
    uint64_t notification_ = vesta::kNoSlot;
    uint64_t sleep_ = vesta::kNoSlot; // never signalled
    uint64_t out_page_ = vesta::kNoSlot;
    char* out_ = nullptr;
    bool after_cr_ = false;
};

} // namespace shell
