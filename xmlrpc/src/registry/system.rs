//! The `system.*` methods: introspection, capabilities and multicall.

use std::borrow::Cow;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::fault::Fault;
use crate::service::call::Call;
use crate::service::reply::Reply;
use crate::service::{MethodFuture, MethodInfo};
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
                    let calls: Vec<SubCall<'_>> = call.param(0, "calls", "array")?;
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
            crate::excerpt::truncate(name, 128)
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
    if registry.dialect.i8 != crate::ser::dialect::I8Style::Refuse {
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
    calls: Vec<SubCall<'_>>,
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
                let entry = Reply::encode_bare(&fault.wire(), call.encoding()).map_err(|f| {
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

async fn run_one(registry: &Registry, call: &Call<'_>, sub: SubCall<'_>) -> Result<Reply, Fault> {
    let (name, params) = match sub {
        SubCall::Call { name, params } => (name, params),
        SubCall::Bad(why) => {
            return Err(Fault::invalid_params(format!("system.multicall: {why}")));
        }
    };
    if name == "system.multicall" {
        return Err(Fault::new_unchecked(
            Fault::INVALID_REQUEST,
            "system.multicall: a nested system.multicall is not allowed",
        ));
    }
    if name.is_empty() {
        // As a call of its own would be answered.
        return Err(Fault::new_unchecked(
            Fault::INVALID_REQUEST,
            "the method name is empty",
        ));
    }
    registry
        .dispatch_values(&name, &params, call.context())
        .await
}

/// One call of a `system.multicall` as read: its method name (borrowed from the request
/// when it can be) and its parameters, or why the entry is not a call, which becomes that
/// entry's fault while the other calls go on. Read straight from the request: the entry's
/// struct, its member names and the method name are never built as `Value`s.
enum SubCall<'de> {
    Call {
        name: Cow<'de, str>,
        params: Vec<Value>,
    },
    Bad(String),
}

impl<'de> Deserialize<'de> for SubCall<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SubCallVisitor)
    }
}

/// The XML-RPC type that a visitor call stands for, for the messages of malformed entries.
macro_rules! other_types {
    ($out:ty, $wrap:expr) => {
        fn visit_bool<E: de::Error>(self, _v: bool) -> Result<$out, E> {
            Ok($wrap("boolean"))
        }
        fn visit_i32<E: de::Error>(self, _v: i32) -> Result<$out, E> {
            Ok($wrap("int"))
        }
        fn visit_i64<E: de::Error>(self, _v: i64) -> Result<$out, E> {
            Ok($wrap("i8"))
        }
        fn visit_u64<E: de::Error>(self, _v: u64) -> Result<$out, E> {
            Ok($wrap("i8"))
        }
        fn visit_f64<E: de::Error>(self, _v: f64) -> Result<$out, E> {
            Ok($wrap("double"))
        }
        fn visit_bytes<E: de::Error>(self, _v: &[u8]) -> Result<$out, E> {
            Ok($wrap("base64"))
        }
        fn visit_unit<E: de::Error>(self) -> Result<$out, E> {
            Ok($wrap("nil"))
        }
        fn visit_none<E: de::Error>(self) -> Result<$out, E> {
            Ok($wrap("nil"))
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<$out, D::Error> {
            // Only date-times come as newtypes.
            de::IgnoredAny::deserialize(d)?;
            Ok($wrap("dateTime.iso8601"))
        }
    };
}

macro_rules! other_containers {
    ($out:ty, $wrap:expr) => {
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<$out, A::Error> {
            de::IgnoredAny.visit_seq(seq)?;
            Ok($wrap("array"))
        }
    };
    ($out:ty, $wrap:expr, map) => {
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<$out, A::Error> {
            de::IgnoredAny.visit_map(map)?;
            Ok($wrap("struct"))
        }
    };
}

fn not_a_struct(found: &str) -> SubCall<'static> {
    SubCall::Bad(format!("each call must be a struct, found {found}"))
}

struct SubCallVisitor;

impl<'de> Visitor<'de> for SubCallVisitor {
    type Value = SubCall<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a struct with methodName and params")
    }

    other_types!(SubCall<'de>, not_a_struct);
    other_containers!(SubCall<'de>, not_a_struct);

    fn visit_str<E: de::Error>(self, _v: &str) -> Result<SubCall<'de>, E> {
        Ok(not_a_struct("string"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SubCall<'de>, A::Error> {
        let mut name = None;
        let mut params = Ok(Vec::new());
        // As in a `Value`'s struct, the last of members of the same name counts.
        while let Some(member) = map.next_key::<Member>()? {
            match member {
                Member::MethodName => name = Some(map.next_value::<NameField<'de>>()?),
                Member::Params => params = map.next_value::<ParamsField>()?.0,
                Member::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(match (name, params) {
            (None, _) => SubCall::Bad("a call without methodName".to_owned()),
            (Some(NameField(Err(found))), _) => {
                SubCall::Bad(format!("methodName must be a string, found {found}"))
            }
            (_, Err(found)) => SubCall::Bad(format!("params must be an array, found {found}")),
            (Some(NameField(Ok(name))), Ok(params)) => SubCall::Call { name, params },
        })
    }
}

/// The members of a call's struct that count.
enum Member {
    MethodName,
    Params,
    Other,
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MemberVisitor;
        impl Visitor<'_> for MemberVisitor {
            type Value = Member;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Member, E> {
                Ok(match v {
                    "methodName" => Member::MethodName,
                    "params" => Member::Params,
                    _ => Member::Other,
                })
            }
        }
        d.deserialize_identifier(MemberVisitor)
    }
}

/// `methodName`: the name, or the type found instead of a string.
struct NameField<'de>(Result<Cow<'de, str>, &'static str>);

impl<'de> Deserialize<'de> for NameField<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        fn found(ty: &'static str) -> NameField<'static> {
            NameField(Err(ty))
        }
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = NameField<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a method name")
            }
            other_types!(NameField<'de>, found);
            other_containers!(NameField<'de>, found);
            other_containers!(NameField<'de>, found, map);
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<NameField<'de>, E> {
                Ok(NameField(Ok(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NameField<'de>, E> {
                Ok(NameField(Ok(Cow::Owned(v.to_owned()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<NameField<'de>, E> {
                Ok(NameField(Ok(Cow::Owned(v))))
            }
        }
        d.deserialize_any(NameVisitor)
    }
}

/// `params`: the values, or the type found instead of an array.
struct ParamsField(Result<Vec<Value>, &'static str>);

impl<'de> Deserialize<'de> for ParamsField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ParamsVisitor;
        fn found(ty: &'static str) -> ParamsField {
            ParamsField(Err(ty))
        }
        impl<'de> Visitor<'de> for ParamsVisitor {
            type Value = ParamsField;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an array of parameters")
            }
            other_types!(ParamsField, found);
            other_containers!(ParamsField, found, map);
            fn visit_str<E: de::Error>(self, _v: &str) -> Result<ParamsField, E> {
                Ok(found("string"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ParamsField, A::Error> {
                let mut params = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(v) = seq.next_element()? {
                    params.push(v);
                }
                Ok(ParamsField(Ok(params)))
            }
        }
        d.deserialize_any(ParamsVisitor)
    }
}

#[cfg(test)]
mod tests;
