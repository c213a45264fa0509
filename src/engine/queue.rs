//! A priority queue of events keyed by (time, insertion sequence), with cancellation.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};

use crate::time::SimTime;

/// Identifies a scheduled event so that it can be cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[must_use = "keep the key if the event may need cancelling"]
pub struct EventKey(u64);

/// Heap entry: ordered by time, then by the order of scheduling, so that events at the same
/// millisecond pop first in, first out and every run pops them in the same order.
#[derive(Debug)]
struct Entry<E> {
    time_ms: SimTime,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.time_ms, self.seq) == (other.time_ms, other.seq)
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.time_ms, self.seq).cmp(&(other.time_ms, other.seq))
    }
}

/// Events waiting to happen. Cancelled events are dropped lazily when they reach the head.
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Reverse<Entry<E>>>,
    cancelled: HashSet<u64>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self {
            heap: BinaryHeap::new(),
            cancelled: HashSet::new(),
            next_seq: 0,
        }
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Schedules `event` at `time_ms`.
    pub fn schedule(&mut self, time_ms: SimTime, event: E) -> EventKey {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Reverse(Entry {
            time_ms,
            seq,
            event,
        }));
        EventKey(seq)
    }

    /// Cancels a scheduled event; cancelling one that already ran does nothing.
    pub fn cancel(&mut self, key: EventKey) {
        if key.0 < self.next_seq {
            self.cancelled.insert(key.0);
        }
    }

    /// Time of the next live event, if any.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        self.drop_cancelled_head();
        self.heap.peek().map(|Reverse(e)| e.time_ms)
    }

    /// Removes and returns the next live event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.drop_cancelled_head();
        self.heap.pop().map(|Reverse(e)| (e.time_ms, e.event))
    }

    /// Number of entries held, cancelled ones included.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no entry is held.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    fn drop_cancelled_head(&mut self) {
        if self.cancelled.is_empty() {
            return;
        }
        while let Some(Reverse(head)) = self.heap.peek() {
            if !self.cancelled.remove(&head.seq) {
                break;
            }
            self.heap.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_insertion_order() {
        let mut q = EventQueue::new();
        let _ = q.schedule(20, "late");
        let _ = q.schedule(10, "first");
        let _ = q.schedule(10, "second");
        assert_eq!(q.pop(), Some((10, "first")));
        assert_eq!(q.pop(), Some((10, "second")));
        assert_eq!(q.pop(), Some((20, "late")));
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn cancelled_events_never_pop() {
        let mut q = EventQueue::new();
        let a = q.schedule(5, 'a');
        let _ = q.schedule(6, 'b');
        q.cancel(a);
        assert_eq!(q.peek_time(), Some(6));
        assert_eq!(q.pop(), Some((6, 'b')));
        assert!(q.pop().is_none());
    }
}
