//! Serving a registry that is built: what it answers, and handling a request from its
//! body to the response document, dispatching the call to its method.

use super::index::Target;
use super::{Registry, rt, system};
use crate::fault::Fault;
use crate::message::read::CallReader;
use crate::ser::Serializer;
use crate::ser::dialect::NilStyle;
use crate::service::call::Call;
use crate::service::context::Context;
use crate::service::reply::{Encoding, Reply};
use crate::service::{MethodFuture, MethodInfo};
use crate::xml::limits::Limits;

/// A handled call: the response document and what a request log wants to know.
#[derive(Debug, Clone)]
pub struct Handled<'a> {
    /// The `methodResponse` document.
    pub body: Vec<u8>,
    /// The method called, when the request could be read that far; borrowed from the
    /// request when possible.
    pub method: Option<std::borrow::Cow<'a, str>>,
    /// The fault code, when the answer is a fault.
    pub fault_code: Option<i32>,
}

impl Registry {
    /// The limits requests are read with, as set with [`Registry::limits`].
    pub fn get_limits(&self) -> Limits {
        self.limits
    }

    /// How replies are written.
    pub fn encoding(&self) -> Encoding {
        let mut dialect = self.dialect;
        if !self.allow_none {
            dialect.nil = NilStyle::Refuse;
        }
        if let Some(charset) = self.charset {
            dialect.charset = charset;
        }
        Encoding { dialect }
    }

    /// Every callable name, sorted, `system.*` included when switched on.
    pub fn method_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.index.keys().cloned().collect();
        names.extend(system::names(self).map(str::to_owned));
        names.sort();
        names
    }

    /// The description of method `name`, with its full name.
    pub fn method_info(&self, name: &str) -> Option<MethodInfo> {
        if let Some(info) = self.functions.iter().find(|m| m.name == name) {
            return Some(info.clone());
        }
        if let Some(info) = self
            .services
            .iter()
            .flat_map(|methods| methods.iter())
            .find(|m| m.name == name)
        {
            return Some(info.clone());
        }
        system::info(self, name)
    }

    /// Every method's description, sorted by name.
    pub fn methods(&self) -> Vec<MethodInfo> {
        self.method_names()
            .iter()
            .filter_map(|n| self.method_info(n))
            .collect()
    }

    /// Handles a request body: reads the call, runs the method and writes the response,
    /// which is a fault for anything that went wrong, from malformed XML to a panicking
    /// method. Never fails.
    pub async fn handle<'a>(&self, body: &'a [u8], context: &Context) -> Handled<'a> {
        self.handle_with_limits(body, context, self.limits).await
    }

    /// [`Registry::handle`] with other limits for the reader, as an endpoint that bounds the
    /// request size itself gives.
    pub(crate) async fn handle_with_limits<'a>(
        &self,
        body: &'a [u8],
        context: &Context,
        limits: Limits,
    ) -> Handled<'a> {
        let reader = match CallReader::from_slice_with_limits(body, limits) {
            Ok(reader) => reader,
            Err(e) => return self.fault_response(None, &e.to_fault()),
        };
        let method = reader.method_cow();
        // The endpoint's span names the call as soon as it is known, so that the method's
        // own events carry it (a no-op outside such a span).
        tracing::Span::current().record("rpc.method", &*method);
        let call = Call::new(reader, context, self.encoding());
        match self.dispatch(call, &method).await {
            Ok(reply) => Handled {
                body: reply.into_response(),
                method: Some(method),
                fault_code: None,
            },
            Err(fault) => self.fault_response(Some(method), &fault),
        }
    }

    /// [`Registry::handle`] on the current thread, for CGI scripts and tests. Methods that
    /// need a runtime (tokio timers or sockets) must be called through `handle` inside one.
    pub fn handle_blocking<'a>(&self, body: &'a [u8], context: &Context) -> Handled<'a> {
        rt::block_on(self.handle(body, context))
    }

    fn fault_response<'a>(
        &self,
        method: Option<std::borrow::Cow<'a, str>>,
        fault: &Fault,
    ) -> Handled<'a> {
        let mut ser = Serializer::with_dialect(Vec::with_capacity(256), self.encoding().dialect);
        let _infallible_on_vec = ser.fault(fault);
        Handled {
            body: ser.into_inner(),
            method,
            fault_code: Some(fault.code()),
        }
    }

    /// Finds the method of a call whose name, `name`, was read, and runs it; a panic in it
    /// becomes a fault.
    fn dispatch<'a>(
        &'a self,
        call: Call<'a>,
        name: &'a str,
    ) -> rt::CatchUnwind<'a, MethodFuture<'a>> {
        // Synchronous methods run right here, so a panic may come from this very call.
        let started = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            match self.index.get(name) {
                Some(Target::Function(f)) => f.call(call, &()),
                Some(Target::Service(s, strip)) => s.call(&name[*strip..], call),
                None => match system::lookup(self, name) {
                    Some(builtin) => builtin.run(self, call),
                    None => MethodFuture::ready(Err(Fault::method_not_found(name))),
                },
            }
        }));
        let run = started.unwrap_or_else(|payload| {
            MethodFuture::ready(Err(rt::panic_fault(name, payload.as_ref())))
        });
        rt::CatchUnwind::new(run, name)
    }

    /// Runs one call given as a name and `Value` parameters, as `system.multicall` does for
    /// each of its calls: the method reads its parameters from the values, and its reply
    /// is encoded without a document head, to go into the multicall's answer.
    pub(super) async fn dispatch_values(
        &self,
        name: &str,
        params: &[crate::value::Value],
        context: &Context,
    ) -> Result<Reply, Fault> {
        let call = Call::from_values(name, params, context, self.encoding());
        self.dispatch(call, name).await
    }
}
