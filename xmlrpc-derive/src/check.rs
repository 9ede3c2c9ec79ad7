//! Rules across methods.

use std::collections::HashMap;

use crate::ast::Service;
use crate::ctxt::Ctxt;

use crate::client::{CLIENT_METHODS, MULTICALL_METHODS};

/// Every RPC name is used once, and no method clashes with the generated client's own.
/// (That no name is one the registry answers itself is checked by the generated code, against
/// the registry's own list: see `expand::reserved_names`.)
pub(crate) fn check(cx: &mut Ctxt, service: &Service) {
    for m in &service.methods {
        if let Some(message) = clash(&m.ident, &m.rpc_name) {
            cx.error_spanned_by(&m.ident, message);
        }
    }
    let mut seen: HashMap<&str, &syn::Ident> = HashMap::new();
    for m in &service.methods {
        if let Some(first) = seen.get(m.rpc_name.as_str()) {
            cx.push(syn::Error::new(
                m.name_span,
                format!(
                    "the XML-RPC name `{}` is already used by `fn {first}`; give one of them another name with #[xmlrpc(name = \"...\")]",
                    m.rpc_name
                ),
            ));
        } else {
            seen.insert(&m.rpc_name, &m.ident);
        }
    }
}

/// The message when `ident` is the name of a method of the generated client or multicall.
pub(crate) fn clash(ident: &syn::Ident, rpc_name: &str) -> Option<String> {
    let of = if CLIENT_METHODS.iter().any(|c| ident == c) {
        "the generated client"
    } else if MULTICALL_METHODS.iter().any(|c| ident == c) {
        "the generated multicall"
    } else {
        return None;
    };
    Some(format!(
        "`{ident}` is a method of {of}; rename the Rust method and keep the XML-RPC name with #[xmlrpc(name = \"{rpc_name}\")]"
    ))
}
