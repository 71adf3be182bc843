// userland/drivers/fbcon/keyboard_link.hpp — fbcon's second thread: it
// opens dev::keyboard device 0 through sys::devmgr, reads it, and hands the
// bytes to the serving thread through an InputRing (docs/framebuffer-console.md,
// "The driver").
//
// The thread loops: devmgr.open(dev::keyboard, 0) — while there is no
// keyboard (no_device) it tries again every 100 ms for the first minute,
// then every second; while the registry answers `restarting`, every tick —
// then io::file.read of the keyboard (its driver holds the call until a key
// is typed) into a page of its own, copies the bytes into the ring and
// signals the serving thread's notification. It reads at most what the
// ring has room for, and waits on `space` (signalled by the serving thread
// after it took bytes) while the ring is full: nothing is dropped here;
// keys typed meanwhile wait in the keyboard driver. A read that fails
// because the keyboard's driver died (PeerGone, InvalidCapability) deletes
// the dead endpoint and opens device 0 again: a keyboard driver restarted
// by its supervisor, or one that appears later, is picked up. Other errors
// (busy: another program reads keyboard0) are retried every 100 ms.
//
// The thread has its own cspace (spawn makes one per thread) holding only
// what it needs; it never prints (the runtime's print uses the serving
// thread's IPC buffer): it counts its opens in opens(), which the serving
// thread reports.
#pragma once

#include <stdint.h>

#include <user/byte_ring.hpp>
#include <user/runtime.hpp>

namespace fbcon {

// The keyboard thread's bytes on their way to the serving thread.
using InputRing = vesta::user::ByteRing<256>;

class KeyboardLink {
public:
    // Starts the thread. `devmgr`: the sys::devmgr endpoint; `signal`: the
    // serving thread's notification (the thread gets Write on it). Errors:
    // the pages', notifications' and thread's creation.
    vesta::Error start(uint64_t devmgr, uint64_t signal);

    // --- The serving thread.
    // Up to `max` bytes typed since the last call; wakes the thread if it
    // waited for room.
    size_t take(uint8_t* out, size_t max);
    // Whether bytes wait for take().
    bool pending() const;
    // How many times the keyboard was opened (0: none found yet).
    uint32_t opens() const;

private:
    uint64_t space_ = vesta::kNoSlot; // signalled after take() took bytes
};

} // namespace fbcon
