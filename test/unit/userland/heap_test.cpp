// Tests of user/heap.hpp over a page source made of host memory: sizes and
// alignment, reuse of freed small blocks, large blocks' pages returned to
// the source, out-of-memory, and free() of pointers it never gave.
#include <catch2/catch_test_macros.hpp>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <user/heap.hpp>
#include <vector>

namespace {

// Pages from aligned_alloc; counts what is out; refuses beyond a limit.
struct PageLedger {
    std::map<void*, size_t> out; // address -> pages
    size_t pages_out = 0;
    size_t limit = 1 << 20;
    uint64_t next_token = 1;
    std::map<uint64_t, void*> tokens;
};

class HostPageSource {
public:
    explicit HostPageSource(PageLedger* ledger) : ledger_(ledger) {}
    void* grow(size_t pages, uint64_t* token) {
        if (ledger_->pages_out + pages > ledger_->limit) return nullptr;
        void* memory = std::aligned_alloc(4096, pages * 4096);
        std::memset(memory, 0, pages * 4096);
        ledger_->out[memory] = pages;
        ledger_->pages_out += pages;
        *token = ledger_->next_token++;
        ledger_->tokens[*token] = memory;
        return memory;
    }
    void release(void* address, size_t pages, uint64_t token) {
        REQUIRE(ledger_->out.count(address) == 1);
        REQUIRE(ledger_->out[address] == pages);
        REQUIRE(ledger_->tokens[token] == address);
        ledger_->out.erase(address);
        ledger_->tokens.erase(token);
        ledger_->pages_out -= pages;
        std::free(address);
    }

private:
    PageLedger* ledger_;
};

using TestHeap = vesta::user::Heap<HostPageSource>;

// Frees what is still out when a test ends (small chunks are never released).
struct Fixture {
    PageLedger ledger;
    TestHeap heap{HostPageSource(&ledger)};
    ~Fixture() {
        for (auto& [address, pages] : ledger.out) std::free(address);
    }
};

} // namespace

TEST_CASE("blocks are aligned, disjoint and usable", "[heap]") {
    Fixture f;
    std::vector<std::pair<uint8_t*, size_t>> blocks;
    for (size_t size : {1u, 15u, 16u, 17u, 100u, 1000u, 2032u, 2033u, 5000u, 100000u}) {
        auto* p = static_cast<uint8_t*>(f.heap.allocate(size));
        REQUIRE(p != nullptr);
        CHECK(reinterpret_cast<uintptr_t>(p) % 16 == 0);
        std::memset(p, static_cast<int>(size & 0xff), size);
        blocks.emplace_back(p, size);
    }
    for (auto& [p, size] : blocks) {
        bool intact = true;
        for (size_t i = 0; i < size; ++i) intact = intact && p[i] == static_cast<uint8_t>(size & 0xff);
        CHECK(intact);
    }
    for (auto& [p, size] : blocks) f.heap.free(p);
    CHECK(f.heap.bytes_in_use() == 0);
}

TEST_CASE("freed small blocks are reused, not new pages", "[heap]") {
    Fixture f;
    void* first = f.heap.allocate(40);
    f.heap.free(first);
    CHECK(f.heap.allocate(40) == first);
    const size_t pages = f.heap.pages_held();
    std::vector<void*> many;
    for (int round = 0; round < 10; ++round) {
        for (int i = 0; i < 100; ++i) many.push_back(f.heap.allocate(100));
        for (void* p : many) f.heap.free(p);
        many.clear();
    }
    // 100 blocks of 128 bytes need 4 chunks' worth at most, whatever the rounds.
    CHECK(f.heap.pages_held() <= pages + TestHeap::kChunkPages * 4);
    CHECK(f.heap.bytes_in_use() == 64); // the second allocate(40): 40 + header in the 64-byte class
}

TEST_CASE("large blocks take pages of their own and give them back", "[heap]") {
    Fixture f;
    void* big = f.heap.allocate(3 * 4096);
    REQUIRE(big != nullptr);
    CHECK(f.ledger.pages_out == 4); // 12 KiB + the header round up to 4 pages
    CHECK(reinterpret_cast<uintptr_t>(big) % 4096 == 32);
    CHECK(f.heap.pages_held() == 4);
    f.heap.free(big);
    CHECK(f.ledger.pages_out == 0);
    CHECK(f.heap.pages_held() == 0);
    CHECK(f.heap.allocate(size_t{1} << 41) == nullptr); // absurd sizes are refused, not wrapped
}

TEST_CASE("out of pages gives nullptr and the heap keeps working", "[heap]") {
    Fixture f;
    f.ledger.limit = 8;
    CHECK(f.heap.allocate(9 * 4096) == nullptr);
    void* small = f.heap.allocate(64);
    REQUIRE(small != nullptr); // one chunk of 4 pages
    void* large = f.heap.allocate(3 * 4096);
    REQUIRE(large != nullptr);             // 4 more pages: the limit
    CHECK(f.heap.allocate(16) != nullptr); // still in the chunk
    CHECK(f.heap.allocate(2000) != nullptr);
    CHECK(f.heap.allocate(4096) == nullptr);
    f.heap.free(large);
    CHECK(f.heap.allocate(4096) != nullptr);
    f.heap.free(small);
}

TEST_CASE("free ignores null, double frees and foreign pointers", "[heap]") {
    Fixture f;
    f.heap.free(nullptr);
    void* a = f.heap.allocate(32);
    void* b = f.heap.allocate(32);
    f.heap.free(a);
    f.heap.free(a); // double free: ignored, so a is handed out once only
    void* c = f.heap.allocate(32);
    void* d = f.heap.allocate(32);
    CHECK(c == a);
    CHECK(d != a);
    alignas(16) uint8_t foreign[64] = {};
    f.heap.free(foreign + 16);
    f.heap.free(static_cast<uint8_t*>(b) + 8); // misaligned: ignored
    CHECK(f.heap.allocate(32) != b);
    void* big = f.heap.allocate(10000);
    void* other = f.heap.allocate(10000);
    f.heap.free(big);
    CHECK(f.ledger.pages_out == 4 + 3);
    f.heap.free(big); // its pages are gone (ASan would see a read): recognised by the list
    CHECK(f.ledger.pages_out == 4 + 3);
    f.heap.free(other);
    CHECK(f.ledger.pages_out == 4);
}

TEST_CASE("random allocations and frees keep every block intact", "[heap]") {
    Fixture f;
    std::mt19937 random(7);
    struct Live {
        uint8_t* p;
        size_t size;
        uint8_t pattern;
    };
    std::vector<Live> live;
    for (int step = 0; step < 20000; ++step) {
        if (live.empty() || random() % 3 != 0) {
            const size_t size = random() % 4 == 0 ? random() % 20000 : random() % 300;
            auto* p = static_cast<uint8_t*>(f.heap.allocate(size));
            REQUIRE(p != nullptr);
            const auto pattern = static_cast<uint8_t>(step);
            std::memset(p, pattern, size);
            live.push_back({p, size, pattern});
        } else {
            const size_t index = random() % live.size();
            const Live block = live[index];
            bool intact = true;
            for (size_t i = 0; i < block.size; ++i) intact = intact && block.p[i] == block.pattern;
            REQUIRE(intact);
            f.heap.free(block.p);
            live[index] = live.back();
            live.pop_back();
        }
    }
    for (const Live& block : live) f.heap.free(block.p);
    CHECK(f.heap.bytes_in_use() == 0);
}
