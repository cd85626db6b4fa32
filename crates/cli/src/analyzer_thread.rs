//! Runs the [`Analyzer`] on a thread of its own, so that reading and parsing (on the calling
//! thread) overlap with detection.
//!
//! The calling thread hands events over in batches; batches travel through one bounded channel,
//! so the analyzer sees every event exactly once and in the order it was pushed (line numbers and
//! accounting are untouched: they travel inside each event's `origin`). Emptied batches come back
//! through a second channel and are reused, so that steady-state reading allocates nothing.
//!
//! Events are parsed borrowing their text from the read buffer, which is reused as soon as the
//! next chunk is read. The detectors read no free text (rule labels, interface and host names),
//! so each event is detached from its line by dropping those fields: the batch holds plain
//! values only. A test in `cmd_analyze` checks that this gives the same report as feeding the
//! analyzer directly.
//!
//! This is not what it could be on many cores: parsing runs on one thread because parsers keep
//! state between lines (the year of year-less syslog stamps, a `#Fields:` header). On the
//! two-core machines it was measured on, parsing and detection each keep one core busy.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::{self, JoinHandle};

use fwseen_detect::Analyzer;
use fwseen_event::Event;

/// Events per batch: large enough that the channel costs nothing per event, small enough that
/// the analyzer starts early and the batches in flight stay at a few megabytes.
const BATCH_LEN: usize = 4096;

/// Batches that may wait for the analyzer before the reader blocks.
const BATCHES_IN_FLIGHT: usize = 4;

/// An event with its text fields dropped: it borrows nothing.
pub type DetachedEvent = Event<'static>;

/// Copies the fields the detectors read out of a borrowed event.
#[inline]
pub fn detach(event: &Event<'_>) -> DetachedEvent {
    Event {
        time: event.time,
        observer: None,
        action: event.action,
        direction: event.direction,
        // The detectors only ask whether a packet came in on the loopback interface or on
        // another named one.
        in_interface: event
            .in_interface
            .filter(|name| !name.is_empty())
            .map(|name| {
                if name == b"lo" || name.starts_with(b"lo0") {
                    &b"lo"[..]
                } else {
                    &b"if"[..]
                }
            }),
        out_interface: None,
        protocol: event.protocol,
        src: event.src,
        dst: event.dst,
        src_port: event.src_port,
        dst_port: event.dst_port,
        tcp_flags: event.tcp_flags,
        ttl: event.ttl,
        ip_id: event.ip_id,
        length: event.length,
        tcp_window: event.tcp_window,
        tcp_seq: event.tcp_seq,
        icmp: event.icmp,
        embedded: event.embedded,
        rule: None,
        session: event.session,
        origin: event.origin,
    }
}

/// The analyzer running on its own thread, and the batch being filled for it.
pub struct AnalyzerThread {
    /// Full batches to the analyzer; `None` once the analyzer thread has stopped early.
    full: Option<SyncSender<Vec<DetachedEvent>>>,
    /// Emptied batches back from the analyzer.
    empty: Receiver<Vec<DetachedEvent>>,
    batch: Vec<DetachedEvent>,
    handle: JoinHandle<Analyzer>,
}

impl AnalyzerThread {
    /// Moves `analyzer` to a new thread that feeds it every event pushed here.
    pub fn spawn(mut analyzer: Analyzer) -> AnalyzerThread {
        let (full_sender, full_receiver) =
            mpsc::sync_channel::<Vec<DetachedEvent>>(BATCHES_IN_FLIGHT);
        // The analyzer never blocks on returning a batch: the channel holds every batch there
        // can be (those in flight, the one being filled and the one being analysed).
        let (empty_sender, empty_receiver) = mpsc::sync_channel(BATCHES_IN_FLIGHT + 2);
        let handle = thread::Builder::new()
            .name("fwseen-analyzer".into())
            .spawn(move || {
                for mut batch in full_receiver {
                    for event in &batch {
                        analyzer.push(event);
                    }
                    batch.clear();
                    let _ = empty_sender.try_send(batch);
                }
                analyzer
            })
            .expect("spawning the analyzer thread");
        AnalyzerThread {
            full: Some(full_sender),
            empty: empty_receiver,
            batch: Vec::with_capacity(BATCH_LEN),
            handle,
        }
    }

    /// Queues one event for the analyzer.
    #[inline]
    pub fn push(&mut self, event: &Event<'_>) {
        self.batch.push(detach(event));
        if self.batch.len() >= BATCH_LEN {
            self.send_batch();
        }
    }

    fn send_batch(&mut self) {
        let next = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BATCH_LEN));
        let batch = std::mem::replace(&mut self.batch, next);
        if let Some(sender) = &self.full {
            // A send fails only when the analyzer thread has panicked; `finish` raises that
            // panic again, so the events are just dropped here.
            if sender.send(batch).is_err() {
                self.full = None;
            }
        }
    }

    /// Hands over the last batch, waits for the analyzer to take in every event and returns it.
    pub fn finish(mut self) -> Analyzer {
        if !self.batch.is_empty() {
            self.send_batch();
        }
        // Closing the channel ends the analyzer thread's loop.
        drop(self.full.take());
        match self.handle.join() {
            Ok(analyzer) => analyzer,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fwseen_detect::Config;
    use fwseen_event::{Action, Origin, Protocol, TcpFlags, Timestamp};
    use std::net::{IpAddr, Ipv4Addr};

    /// Events with scans, sweeps and lone probes in them, spread over several batches, with
    /// rule labels that the hand-off drops.
    fn events() -> Vec<Event<'static>> {
        let start = Timestamp::from_utc_parts(2024, 3, 1, 0, 0, 0, 0).unwrap();
        (0..3 * BATCH_LEN as u32 + 17)
            .map(|i| {
                let scanner = i % 3 == 0;
                let src = if scanner {
                    Ipv4Addr::new(198, 51, 100, (i % 7) as u8)
                } else {
                    Ipv4Addr::from(0x0b00_0000 + i * 7919)
                };
                Event {
                    time: Some(Timestamp {
                        unix_micros: start.unix_micros + i64::from(i) * 250_000,
                        ..start
                    }),
                    action: Action::Drop,
                    protocol: Protocol::Tcp,
                    src: Some(IpAddr::V4(src)),
                    dst: Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, (i % 29) as u8))),
                    src_port: Some(40_000 + (i % 1000) as u16),
                    dst_port: Some(if scanner { (i % 2000) as u16 } else { 23 }),
                    tcp_flags: Some(TcpFlags::SYN),
                    ttl: Some(50),
                    rule: Some(b"[UFW BLOCK] "),
                    origin: Origin {
                        input: 0,
                        record: u64::from(i) + 1,
                    },
                    ..Event::default()
                }
            })
            .collect()
    }

    #[test]
    fn the_thread_reports_what_the_analyzer_reports_directly() {
        let events = events();
        let mut direct = Analyzer::new(Config::default());
        for event in &events {
            direct.push(event);
        }
        let direct = direct.finish();
        let mut threaded = AnalyzerThread::spawn(Analyzer::new(Config::default()));
        for event in &events {
            threaded.push(event);
        }
        let threaded = threaded.finish().finish();
        assert!(!direct.findings.is_empty(), "the events hold patterns");
        assert_eq!(threaded.stats.events, events.len() as u64);
        assert_eq!(format!("{direct:?}"), format!("{threaded:?}"));
    }

    #[test]
    fn detached_events_keep_every_value() {
        let event = &events()[0];
        let detached = detach(event);
        assert_eq!(detached.rule, None);
        assert_eq!(
            Event {
                rule: None,
                ..event.clone()
            },
            detached
        );
    }
}
