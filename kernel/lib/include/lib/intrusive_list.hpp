// lib/intrusive_list.hpp — a doubly linked list threaded through its elements.
//
// An element embeds one ListLink<T> per list it can be in; the list is named
// by the member: IntrusiveList<Task, &Task::queue_link>. No allocation; every
// operation is O(1) except insert_sorted. An element is in at most one list per
// link; contains() tells which list holds it.
#pragma once

#include <stddef.h>

#include <lib/assert.hpp>

namespace vesta {

template <class T>
struct ListLink {
    T* next = nullptr;
    T* prev = nullptr;
    const void* list = nullptr; // the list this link is in, or null
};

template <class T, ListLink<T> T::*Link>
class IntrusiveList {
public:
    IntrusiveList() = default;
    IntrusiveList(const IntrusiveList&) = delete;
    IntrusiveList& operator=(const IntrusiveList&) = delete;

    bool empty() const { return head_ == nullptr; }
    T* front() const { return head_; }
    T* back() const { return tail_; }
    static T* next(const T& item) { return (item.*Link).next; }
    bool contains(const T& item) const { return (item.*Link).list == this; }
    static bool linked(const T& item) { return (item.*Link).list != nullptr; }

    // Always inline (as remove and pop_front): the fast paths queue and
    // dequeue tasks on every switch.
    [[gnu::always_inline]] void push_back(T& item) {
        ListLink<T>& link = item.*Link;
        link.list = this;
        link.next = nullptr;
        link.prev = tail_;
        if (tail_)
            (tail_->*Link).next = &item;
        else
            head_ = &item;
        tail_ = &item;
    }
    [[gnu::always_inline]] void push_front(T& item) {
        ListLink<T>& link = item.*Link;
        link.list = this;
        link.prev = nullptr;
        link.next = head_;
        if (head_)
            (head_->*Link).prev = &item;
        else
            tail_ = &item;
        head_ = &item;
    }

    // Insert `item` before `position` (null: at the end).
    void insert_before(T* position, T& item) {
        ListLink<T>& link = item.*Link;
        link.list = this;
        link.next = position;
        link.prev = position ? (position->*Link).prev : tail_;
        if (link.prev)
            (link.prev->*Link).next = &item;
        else
            head_ = &item;
        if (position)
            (position->*Link).prev = &item;
        else
            tail_ = &item;
    }

    // Insert keeping the list ordered by `before(a, b)` (stable: after equals).
    template <class Less>
    void insert_sorted(T& item, Less before) {
        T* position = head_;
        while (position && !before(item, *position)) position = (position->*Link).next;
        insert_before(position, item);
    }

    // `item` must be in this list (asserted). Always inline: the IPC fast
    // paths take tasks off queues on every call.
    [[gnu::always_inline]] void remove(T& item) {
        ListLink<T>& link = item.*Link;
        VESTA_ASSERT(link.list == this);
        if (link.prev)
            (link.prev->*Link).next = link.next;
        else
            head_ = link.next;
        if (link.next)
            (link.next->*Link).prev = link.prev;
        else
            tail_ = link.prev;
        link = ListLink<T>{};
    }

    [[gnu::always_inline]] T* pop_front() {
        T* item = head_;
        if (!item) return nullptr;
        ListLink<T>& link = item->*Link;
        head_ = link.next;
        if (head_)
            (head_->*Link).prev = nullptr;
        else
            tail_ = nullptr;
        link = ListLink<T>{};
        return item;
    }

    // Remove `item` from whichever list of this type holds it (its link
    // remembers the list); it must be in one (asserted).
    static void unlink(T& item) {
        VESTA_ASSERT(linked(item));
        static_cast<IntrusiveList*>(const_cast<void*>((item.*Link).list))->remove(item);
    }

private:
    T* head_ = nullptr;
    T* tail_ = nullptr;
};

} // namespace vesta

namespace vesta {

// A leaner list for elements that are numerous (capabilities) or many per
// object (bindings): two pointers per link, one per list head, no back
// pointer to the list. Removal needs the list, which the caller always knows
// (the object a capability names, the object a task is bound to). O(1).
// SlimLinks<T, Link> are the operations on a bare head pointer (for headers
// that cannot name T's member yet); SlimList wraps a head with them.
template <class T>
struct SlimLink {
    T* next = nullptr;
    T* prev = nullptr;
};

template <class T, SlimLink<T> T::*Link>
struct SlimLinks {
    static T* next(const T& item) { return (item.*Link).next; }
    static void push_front(T*& head, T& item) {
        SlimLink<T>& link = item.*Link;
        link.prev = nullptr;
        link.next = head;
        if (head) (head->*Link).prev = &item;
        head = &item;
    }
    // `item` must be in the list starting at `head` (asserted as far as O(1)
    // allows: the first element has no predecessor).
    static void remove(T*& head, T& item) {
        SlimLink<T>& link = item.*Link;
        VESTA_ASSERT(link.prev || head == &item);
        if (link.prev)
            (link.prev->*Link).next = link.next;
        else
            head = link.next;
        if (link.next) (link.next->*Link).prev = link.prev;
        link = SlimLink<T>{};
    }
};

template <class T, SlimLink<T> T::*Link>
class SlimList {
public:
    SlimList() = default;
    SlimList(const SlimList&) = delete;
    SlimList& operator=(const SlimList&) = delete;

    bool empty() const { return head_ == nullptr; }
    T* front() const { return head_; }
    static T* next(const T& item) { return (item.*Link).next; }
    void push_front(T& item) { SlimLinks<T, Link>::push_front(head_, item); }
    void remove(T& item) { SlimLinks<T, Link>::remove(head_, item); }

private:
    T* head_ = nullptr;
};

} // namespace vesta
