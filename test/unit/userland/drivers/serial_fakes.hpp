// Fakes for the host tests of the shared serial core (userland/drivers/serial):
// a UART with a receive FIFO of a chosen depth and a transmitter that can
// get stuck, and a PortHost that holds calls, records answers and keeps
// pages in host memory.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "serial/serial_port.hpp"

namespace serial_test {

using namespace vesta;
using vesta::serial::LineSettings;

// A UART like a 16550: speeds that divide 115200, any format, a receive
// FIFO of `fifo_depth` bytes (what the "line" sends beyond it waits on the
// line, as QEMU's backends wait, until the FIFO has room).
class FakeUart final : public serial::Uart {
public:
    size_t fifo_depth = 16;
    std::deque<uint8_t> fifo;      // in the hardware
    std::deque<uint8_t> line;      // still on the wire
    std::string sent;              // what went out
    bool stuck = false;            // the transmitter never gets ready
    size_t stuck_after = SIZE_MAX; // ... after this many bytes
    bool interrupt_enabled = false;
    int configured = 0;
    LineSettings programmed;

    ipc::Result<void> configure(const LineSettings& settings) override {
        if (settings.baud == 0 || 115200 % settings.baud != 0) return proto::dev::unsupported;
        if (settings.parity == proto::dev::parity::MARK) return proto::dev::unsupported; // to test refusals
        programmed = settings;
        ++configured;
        return {};
    }
    bool transmitter_ready() override { return !stuck && sent.size() < stuck_after; }
    void transmit(uint8_t byte) override { sent.push_back(static_cast<char>(byte)); }
    size_t drain(uint8_t* out, size_t max) override {
        size_t n = 0;
        while (n < max && !fifo.empty()) {
            out[n++] = fifo.front();
            fifo.pop_front();
            refill();
        }
        return n;
    }
    void set_receive_interrupt(bool enabled) override { interrupt_enabled = enabled; }

    // Bytes typed: as many as fit go into the FIFO now, the rest follow as it empties.
    void type(const std::string& text) {
        for (char c : text) line.push_back(static_cast<uint8_t>(c));
        refill();
    }

private:
    void refill() {
        while (fifo.size() < fifo_depth && !line.empty()) {
            fifo.push_back(line.front());
            line.pop_front();
        }
    }
};

// The server loop and the pages, in host memory. Page slots are small
// numbers; each page is 4096 bytes.
class FakeHost final : public serial::PortHost {
public:
    static constexpr size_t kPage = 4096;
    size_t capacity = 7; // calls that can be held (a ServerLoop's reply objects - 1)
    std::map<CallToken, ipc::Message> answers;
    std::vector<CallToken> answer_order;
    std::set<CallToken> held;
    std::set<CallToken> gone; // callers that went away
    size_t let_go = 0;        // held calls of gone callers that still_waiting() freed
    std::map<uint64_t, std::vector<uint8_t>> pages;
    std::set<uint64_t> unmappable;

    CallToken defer() override {
        if (held.size() == capacity) return kNoCall;
        const CallToken token = next_++;
        held.insert(token);
        return token;
    }
    Error answer(CallToken call, const ipc::Message& reply) override {
        if (!held.count(call)) return Error::InvalidArgument;
        held.erase(call);
        if (gone.count(call)) return Error::PeerGone;
        answers[call] = reply;
        answer_order.push_back(call);
        return Error::None;
    }
    bool still_waiting(CallToken call) override {
        if (!held.count(call)) return false;
        if (!gone.count(call)) return true;
        held.erase(call);
        ++let_go;
        return false;
    }
    ipc::Result<size_t> copy_to_pages(const ipc::CapList& list, uintptr_t buf, size_t position, const uint8_t* data,
                                      size_t length) override {
        return copy(list, buf, position, const_cast<uint8_t*>(data), length, true);
    }
    ipc::Result<size_t> copy_from_pages(const ipc::CapList& list, uintptr_t buf, size_t position, uint8_t* data,
                                        size_t length) override {
        return copy(list, buf, position, data, length, false);
    }

    ipc::CapList page_list(std::initializer_list<uint64_t> slots) {
        ipc::CapList list;
        for (uint64_t slot : slots) {
            pages.emplace(slot, std::vector<uint8_t>(kPage, 0));
            list.slots[list.count++] = slot;
        }
        return list;
    }
    std::string text(uint64_t slot, size_t offset, size_t length) {
        return std::string(reinterpret_cast<const char*>(pages.at(slot).data() + offset), length);
    }
    void put(uint64_t slot, size_t offset, const std::string& text) {
        std::memcpy(pages.at(slot).data() + offset, text.data(), text.size());
    }

private:
    ipc::Result<size_t> copy(const ipc::CapList& list, uintptr_t buf, size_t position, uint8_t* data, size_t length,
                             bool to_pages) {
        if (list.count == 0 || buf >= kPage) return Error::InvalidArgument;
        size_t offset = buf + position, done = 0;
        for (size_t i = 0; i < list.count && done < length; ++i) {
            if (unmappable.count(list.slots[i]) || !pages.count(list.slots[i])) return Error::InvalidCapability;
            if (offset >= kPage) {
                offset -= kPage;
                continue;
            }
            const size_t n = std::min(length - done, kPage - offset);
            uint8_t* page = pages[list.slots[i]].data() + offset;
            if (to_pages)
                std::memcpy(page, data + done, n);
            else
                std::memcpy(data + done, page, n);
            done += n;
            offset = 0;
        }
        return done;
    }

    CallToken next_ = 1;
};

// A request as the server loop hands it to a generated dispatch().
inline ipc::Message make_request(uint64_t label, std::initializer_list<uint64_t> words, const ipc::CapList& caps = {}) {
    ipc::Message message{};
    size_t i = 0;
    for (uint64_t word : words) message.words[i++] = word;
    for (size_t c = 0; c < caps.count; ++c) message.caps[c] = caps.slots[c];
    message.tag = MessageTag::make(label, words.size(), caps.count);
    return message;
}

} // namespace serial_test
