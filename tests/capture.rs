//! What a test's own `tracing` subscriber writes, captured while other tests run beside it.
//!
//! `tracing` caches each callsite's interest for the whole process, the first time the
//! callsite runs. While a single dispatcher exists, that interest is asked of the default
//! subscriber of the thread that runs the callsite first: a sibling test with no subscriber
//! would then cache "never" for a span this test waits for, and the span would be lost.
//! [`Capture::install`] keeps a second dispatcher alive beside the test's own, so that every
//! callsite's interest is asked of all live subscribers instead, whichever thread runs it.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing::Dispatch;
use tracing::subscriber::{DefaultGuard, NoSubscriber};

/// A writer into a shared buffer, for `tracing_subscriber::fmt().with_writer(..)`.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("the capture lock")).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("the capture lock")
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// A subscriber installed as this thread's default until the value is dropped.
pub struct Capture {
    _guard: DefaultGuard,
    _second: Dispatch,
}

impl Capture {
    /// Makes `subscriber` this thread's default, with a second dispatcher alive beside it.
    pub fn install(subscriber: impl tracing::Subscriber + Send + Sync + 'static) -> Capture {
        let dispatch = Dispatch::new(subscriber);
        let second = Dispatch::new(NoSubscriber::default());
        Capture {
            _guard: tracing::dispatcher::set_default(&dispatch),
            _second: second,
        }
    }

    /// Runs `f` with `subscriber` as this thread's default.
    pub fn with<T>(
        subscriber: impl tracing::Subscriber + Send + Sync + 'static,
        f: impl FnOnce() -> T,
    ) -> T {
        let _capture = Capture::install(subscriber);
        f()
    }
}
