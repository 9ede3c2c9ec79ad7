//! The `system.*` methods: introspection, capabilities and multicall.

use crate::fault::Fault;
use crate::service::{Call, MethodFuture, MethodInfo, Reply};
use crate::value::{Struct, Value};

use super::Registry;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Builtin {
    ListMethods,
    MethodHelp,
    MethodSignature,
    MethodExist,
    GetCapabilities,
    Multicall,
}

const ALL: [(&str, Builtin); 6] = [
    ("system.getCapabilities", Builtin::GetCapabilities),
    ("system.listMethods", Builtin::ListMethods),
    ("system.methodExist", Builtin::MethodExist),
    ("system.methodHelp", Builtin::MethodHelp),
    ("system.methodSignature", Builtin::MethodSignature),
    ("system.multicall", Builtin::Multicall),
];

impl Builtin {
    fn enabled(self, registry: &Registry) -> bool {
        match self {
            Builtin::Multicall => registry.multicall,
            _ => registry.introspection,
        }
    }

    fn info(self, name: &str) -> MethodInfo {
        let info = MethodInfo::new(name.to_owned());
        let (sig, help, params): (&[&'static str], &'static str, &[&'static str]) = match self {
            Builtin::ListMethods => (
                &["array"],
                "Returns the names of every method the server answers, sorted.",
                &[],
            ),
            Builtin::MethodHelp => (
                &["string", "string"],
                "Returns the documentation of the method named by the parameter.",
                &["name"],
            ),
            Builtin::MethodSignature => (
                &["array", "string"],
                "Returns the signatures of the method named by the parameter: an array of arrays of type names, the return type first, then the parameter types.",
                &["name"],
            ),
            Builtin::MethodExist => (
                &["boolean", "string"],
                "Tells whether a method of that name exists.",
                &["name"],
            ),
            Builtin::GetCapabilities => (
                &["struct"],
                "Returns the specifications this server follows, each with its URL and version.",
                &[],
            ),
            Builtin::Multicall => (
                &["array", "array"],
                "Runs several calls in one request. The parameter is an array of structs with members methodName and params; the result has, for each call, a one-element array with its value, or a struct with faultCode and faultString.",
                &["calls"],
            ),
        };
        let mut info = info.signature(sig.iter().copied()).help(help);
        info.params = params.iter().map(|p| (*p).into()).collect();
        info
    }

    pub(super) fn run<'a>(self, registry: &'a Registry, mut call: Call<'a>) -> MethodFuture<'a> {
        MethodFuture::new(async move {
            match self {
                Builtin::ListMethods => {
                    call.finish_params(0)?;
                    call.reply(&registry.method_names())
                }
                Builtin::MethodHelp => {
                    let name: String = call.param(0, "name", "string")?;
                    call.finish_params(1)?;
                    let info = known(registry, &name)?;
                    call.reply(&*info.help)
                }
                Builtin::MethodSignature => {
                    let name: String = call.param(0, "name", "string")?;
                    call.finish_params(1)?;
                    let info = known(registry, &name)?;
                    if info.signatures.is_empty() {
                        // The introspection convention for a method without a known signature.
                        call.reply("undef")
                    } else {
                        call.reply(&info.signatures)
                    }
                }
                Builtin::MethodExist => {
                    let name: String = call.param(0, "name", "string")?;
                    call.finish_params(1)?;
                    call.reply(&registry.method_info(&name).is_some())
                }
                Builtin::GetCapabilities => {
                    call.finish_params(0)?;
                    call.reply(&capabilities(registry))
                }
                Builtin::Multicall => {
                    let calls: Vec<Value> = call.param(0, "calls", "array")?;
                    call.finish_params(1)?;
                    multicall(registry, &call, calls).await
                }
            }
        })
    }
}

fn known(registry: &Registry, name: &str) -> Result<MethodInfo, Fault> {
    registry.method_info(name).ok_or_else(|| {
        Fault::invalid_params(format!(
            "no method named `{}`",
            crate::error::truncate(name, 128)
        ))
    })
}

pub(super) fn lookup(registry: &Registry, name: &str) -> Option<Builtin> {
    ALL.iter()
        .find(|(n, b)| *n == name && b.enabled(registry))
        .map(|(_, b)| *b)
}

/// Whether `name` is one of the `system.*` methods the registry answers itself. These
/// names are reserved whether or not their switches are on, by the registry at run time and
/// by `#[xmlrpc_service]` at compile time: the one list is `ALL`.
pub const fn is_reserved(name: &str) -> bool {
    let mut i = 0;
    while i < ALL.len() {
        if bytes_eq(ALL[i].0.as_bytes(), name.as_bytes()) {
            return true;
        }
        i += 1;
    }
    false
}

const fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

pub(super) fn names(registry: &Registry) -> impl Iterator<Item = &'static str> + '_ {
    ALL.iter()
        .filter(|(_, b)| b.enabled(registry))
        .map(|(n, _)| *n)
}

pub(super) fn info(registry: &Registry, name: &str) -> Option<MethodInfo> {
    lookup(registry, name).map(|b| b.info(name))
}

fn spec(url: &str, version: i32) -> Value {
    let mut s = Struct::new();
    s.push("specUrl", url);
    s.push("specVersion", version);
    Value::Struct(s)
}

fn capabilities(registry: &Registry) -> Value {
    let mut caps = Struct::new();
    caps.push(
        "faults_interop",
        spec(
            "http://xmlrpc-epi.sourceforge.net/specs/rfc.fault_codes.php",
            20010516,
        ),
    );
    if registry.introspection {
        caps.push(
            "introspect",
            spec("http://xmlrpc-c.sourceforge.net/introspection.html", 1),
        );
    }
    if registry.multicall {
        caps.push(
            "multicall",
            spec("http://www.xmlrpc.com/discuss/msgReader$1208", 1),
        );
    }
    if registry.allow_none {
        caps.push(
            "nil",
            spec("http://www.ontosys.com/xml-rpc/extensions.php", 20010518),
        );
    }
    if registry.dialect.i8 != crate::ser::I8Style::Refuse {
        caps.push(
            "i8",
            spec(
                "http://xmlrpc-c.sourceforge.net/doc/libxmlrpc.html#extensiontype",
                1,
            ),
        );
    }
    Value::Struct(caps)
}

/// Runs each call in order; a call's fault becomes its entry, the others go on.
async fn multicall(
    registry: &Registry,
    call: &Call<'_>,
    calls: Vec<Value>,
) -> Result<Reply, Fault> {
    if calls.len() > registry.max_multicall {
        return Err(Fault::new_unchecked(
            Fault::LIMIT_EXCEEDED,
            format!(
                "system.multicall: {} calls exceed the limit of {}",
                calls.len(),
                registry.max_multicall
            ),
        ));
    }
    let mut out = b"<value><array><data>".to_vec();
    for (i, sub) in calls.into_iter().enumerate() {
        match run_one(registry, call, sub).await {
            Ok(reply) => {
                out.extend_from_slice(b"<value><array><data>");
                out.extend_from_slice(reply.as_bytes());
                out.extend_from_slice(b"</data></array></value>");
            }
            Err(fault) => {
                let entry = Reply::encode(&fault.wire(), call.encoding()).map_err(|f| {
                    Fault::internal_error(format!(
                        "system.multicall: call {}: {}",
                        i + 1,
                        f.string()
                    ))
                })?;
                out.extend_from_slice(entry.as_bytes());
            }
        }
    }
    out.extend_from_slice(b"</data></array></value>");
    Ok(Reply::from_encoded(&out, call.encoding()))
}

async fn run_one(registry: &Registry, call: &Call<'_>, sub: Value) -> Result<Reply, Fault> {
    let Value::Struct(mut members) = sub else {
        return Err(Fault::invalid_params(format!(
            "system.multicall: each call must be a struct, found {}",
            sub.type_name()
        )));
    };
    let name = match members.remove("methodName") {
        Some(Value::String(name)) => name,
        Some(other) => {
            return Err(Fault::invalid_params(format!(
                "system.multicall: methodName must be a string, found {}",
                other.type_name()
            )));
        }
        None => {
            return Err(Fault::invalid_params(
                "system.multicall: a call without methodName",
            ));
        }
    };
    let params = match members.remove("params") {
        Some(Value::Array(params)) => params,
        None => Vec::new(),
        Some(other) => {
            return Err(Fault::invalid_params(format!(
                "system.multicall: params must be an array, found {}",
                other.type_name()
            )));
        }
    };
    if name == "system.multicall" {
        return Err(Fault::new_unchecked(
            Fault::INVALID_REQUEST,
            "system.multicall: a nested system.multicall is not allowed",
        ));
    }
    registry
        .dispatch_values(&name, &params, call.context())
        .await
}
