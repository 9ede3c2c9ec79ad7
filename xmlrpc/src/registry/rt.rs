//! The two pieces of runtime the registry needs: catching a method's panic, and running a
//! call to completion on the current thread for CGI and tests.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;

use crate::fault::Fault;

/// Polls a method's future, turning a panic inside it into an internal-error fault that
/// names the method.
pub(crate) struct CatchUnwind<'a, F> {
    inner: F,
    method: &'a str,
}

impl<'a, F> CatchUnwind<'a, F> {
    pub(crate) fn new(inner: F, method: &'a str) -> Self {
        CatchUnwind { inner, method }
    }
}

impl<F, T> Future for CatchUnwind<'_, F>
where
    F: Future<Output = Result<T, Fault>> + Unpin,
{
    type Output = Result<T, Fault>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = Pin::new(&mut self.inner);
        // The future is dropped after a panic and never polled again, so no broken state
        // can be observed.
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(poll) => poll,
            Err(payload) => Poll::Ready(Err(panic_fault(self.method, payload.as_ref()))),
        }
    }
}

/// The fault that answers a panic in `method`.
pub(crate) fn panic_fault(method: &str, payload: &(dyn Any + Send)) -> Fault {
    Fault::internal_error(format!(
        "method {method} panicked: {}",
        panic_message(payload)
    ))
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without message".to_owned()
    }
}

struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs `future` to completion on this thread, parking while it waits.
pub fn block_on<F: Future>(future: F) -> F::Output {
    thread_local! {
        static WAKER: Waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    }
    let mut future = std::pin::pin!(future);
    let waker = WAKER.with(Waker::clone);
    let mut cx = Context::from_waker(&waker);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return v,
            Poll::Pending => std::thread::park(),
        }
    }
}
