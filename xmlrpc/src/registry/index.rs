//! The index of a registry: its methods by name, as functions or services, hashed fast.

use std::sync::Arc;

use super::handler::Handler;
use crate::service::call::Call;
use crate::service::{MethodFuture, Service};

/// A plain function registered under a name, run with the registry's state `S`.
pub(super) trait Method<S>: Send + Sync {
    fn call<'a>(&'a self, call: Call<'a>, state: &'a S) -> MethodFuture<'a>;
}

pub(super) struct FunctionMethod<H, M> {
    pub(super) handler: H,
    pub(super) _marker: std::marker::PhantomData<fn() -> M>,
}

impl<S, H: Handler<M, S>, M: 'static> Method<S> for FunctionMethod<H, M> {
    fn call<'a>(&'a self, call: Call<'a>, state: &'a S) -> MethodFuture<'a> {
        self.handler.call(call, state)
    }
}

/// A function of a registry that needed state `S`, given that state by
/// [`Registry::with_state`].
pub(super) struct Bound<S> {
    pub(super) method: Arc<dyn Method<S>>,
    pub(super) state: Arc<S>,
}

impl<S: Send + Sync> Method<()> for Bound<S> {
    fn call<'a>(&'a self, call: Call<'a>, _state: &'a ()) -> MethodFuture<'a> {
        self.method.call(call, &self.state)
    }
}

/// Where a name leads.
pub(super) enum Target<S> {
    Function(Arc<dyn Method<S>>),
    /// A service, and the length of its mount prefix (with its dot) to strip.
    Service(Arc<dyn Service>, usize),
}

impl<S> Clone for Target<S> {
    fn clone(&self) -> Self {
        match self {
            Target::Function(f) => Target::Function(Arc::clone(f)),
            Target::Service(s, strip) => Target::Service(Arc::clone(s), *strip),
        }
    }
}

/// A fast hash for method names: the registry's keys are chosen by the application, not by
/// callers, so the flooding resistance of the default hasher buys nothing here, while a call
/// hashes its name on every request.
#[derive(Default, Clone, Copy)]
pub(super) struct BuildNameHasher;

pub(super) struct NameHasher(u64);

impl std::hash::BuildHasher for BuildNameHasher {
    type Hasher = NameHasher;
    fn build_hasher(&self) -> NameHasher {
        NameHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        // FNV-1a.
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
