//! `#[xmlrpc_client]`: the model of a typed client read from a trait that declares a
//! server's methods. The expansion is [`crate::client`]'s, the same as a service's twin.

use proc_macro2::TokenStream;
use quote::format_ident;
use syn::spanned::Spanned;
use syn::{FnArg, ItemTrait, Pat, ReturnType, TraitItem, Type};

use crate::attr::{MethodAttrs, ServiceAttribute, ServiceAttrs};
use crate::client::{ClientMethod, ClientModel, ClientParam, multicall_name, required};
use crate::ctxt::Ctxt;

fn unraw(ident: &syn::Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
}

fn is_named(ty: &Type, name: &str) -> bool {
    match ty {
        Type::Path(p) if p.qself.is_none() => {
            p.path.segments.last().is_some_and(|s| s.ident == name)
        }
        _ => false,
    }
}

/// The first type argument of `Result<T, _>`.
fn ok_type(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let segment = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// Reads a method of the trait; `None` (with the errors recorded) when it cannot be called.
fn method(
    cx: &mut Ctxt,
    attrs: &ServiceAttrs,
    item: &mut syn::TraitItemFn,
) -> Option<ClientMethod> {
    let method_attrs = MethodAttrs::take(cx, &mut item.attrs);
    if method_attrs.skip || method_attrs.expose {
        cx.error_spanned_by(
            &item.sig.ident,
            "every method of an #[xmlrpc_client] trait is a call: `skip` and `expose` are options of #[xmlrpc_service]; the option here is `name = \"...\"`",
        );
    }
    let sig = &item.sig;
    let mut ok = true;
    if let Some(body) = &item.default {
        cx.push(syn::Error::new(
            body.brace_token.span.join(),
            "a method of an #[xmlrpc_client] trait is declared, not written: the server runs it; end it with `;`",
        ));
        ok = false;
    }
    match sig.receiver() {
        Some(r) if r.reference.is_some() && r.mutability.is_none() && r.colon_token.is_none() => {}
        Some(r) => {
            cx.error_spanned_by(
                r,
                "a method of an #[xmlrpc_client] trait takes `&self`: the client is shared by every call",
            );
            ok = false;
        }
        None => {
            cx.error_spanned_by(
                &sig.ident,
                "a method of an #[xmlrpc_client] trait takes `&self`; this function has no receiver",
            );
            ok = false;
        }
    }
    if let Some(param) = sig
        .generics
        .params
        .iter()
        .find(|p| !matches!(p, syn::GenericParam::Lifetime(_)))
    {
        cx.error_spanned_by(
            param,
            "a method of an #[xmlrpc_client] trait cannot be generic: write the types the server takes",
        );
        ok = false;
    }
    let mut params = Vec::new();
    let mut optional = Vec::new();
    for (i, input) in sig.inputs.iter().enumerate().skip(1) {
        let FnArg::Typed(pt) = input else { continue };
        let ident = match &*pt.pat {
            Pat::Ident(p) => format_ident!("{}", unraw(&p.ident), span = p.ident.span()),
            _ => format_ident!("arg{}", i, span = pt.pat.span()),
        };
        let ty = crate::ast::erase_lifetimes(&pt.ty);
        if matches!(&ty, Type::Reference(r) if is_named(&r.elem, "Context")) {
            cx.error_spanned_by(
                &pt.ty,
                "a client sends no request context; `&Context` is for #[xmlrpc_service] methods",
            );
            ok = false;
            continue;
        }
        if matches!(&ty, Type::ImplTrait(_)) {
            cx.error_spanned_by(&pt.ty, "write the parameter's type, not `impl Trait`");
            ok = false;
            continue;
        }
        optional.push(is_named(&ty, "Option"));
        params.push(ClientParam { ident, ty });
    }
    let ret = match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => match &**ty {
            Type::Tuple(t) if t.elems.is_empty() => None,
            Type::ImplTrait(t) => {
                cx.error_spanned_by(
                    t,
                    "write the result's type: the client's method is async and returns `Result<T, CallError>` itself",
                );
                ok = false;
                None
            }
            ty if is_named(ty, "Result") => ok_type(ty).map(crate::ast::erase_lifetimes),
            ty => Some(crate::ast::erase_lifetimes(ty)),
        },
    };
    let base = match &method_attrs.name {
        Some(lit) => lit.value(),
        None => attrs.rename_all.apply(&unraw(&sig.ident)),
    };
    let rpc_name = match &attrs.namespace {
        Some(ns) => format!("{ns}.{base}"),
        None => base,
    };
    if let Some(message) = crate::check::clash(&sig.ident, &rpc_name) {
        cx.error_spanned_by(&sig.ident, message);
        ok = false;
    }
    if !ok {
        return None;
    }
    Some(ClientMethod {
        ident: sig.ident.clone(),
        rpc_name,
        docs: item
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .cloned()
            .collect(),
        required: required(&optional),
        params,
        ret,
    })
}

/// The client of `item`, and every mistake in it recorded in `cx`. The model holds the
/// methods that can be called even when others have mistakes, so that code using the
/// client sees only the errors that matter.
pub(crate) fn model(cx: &mut Ctxt, args: TokenStream, item: &mut ItemTrait) -> ClientModel {
    let attrs = ServiceAttrs::parse(cx, args, ServiceAttribute::Client);
    if let Some(param) = item.generics.params.first() {
        cx.error_spanned_by(
            param,
            "an #[xmlrpc_client] trait cannot be generic: it declares one server's methods",
        );
    }
    if let Some(bound) = item.supertraits.first() {
        cx.error_spanned_by(
            bound,
            "an #[xmlrpc_client] trait has no supertraits: declare every method in it",
        );
    }
    let mut methods: Vec<ClientMethod> = Vec::new();
    for trait_item in &mut item.items {
        match trait_item {
            TraitItem::Fn(f) => {
                if let Some(m) = method(cx, &attrs, f) {
                    if let Some(first) = methods.iter().find(|o| o.rpc_name == m.rpc_name) {
                        cx.error_spanned_by(
                            &m.ident,
                            format!(
                                "the XML-RPC name `{}` is already called by `fn {}`; give one of them another name with #[xmlrpc(name = \"...\")]",
                                m.rpc_name, first.ident
                            ),
                        );
                    } else {
                        methods.push(m);
                    }
                }
            }
            other => cx.error_spanned_by(
                other,
                "an #[xmlrpc_client] trait holds only the methods the server has",
            ),
        }
    }
    let name = attrs
        .client
        .clone()
        .unwrap_or_else(|| format_ident!("{}Client", item.ident));
    let krate_text = {
        let krate = &attrs.krate;
        quote::quote!(#krate).to_string().replace(' ', "")
    };
    ClientModel {
        multicall: multicall_name(&name),
        name,
        vis: item.vis.clone(),
        summary: format!(
            "A typed client for the XML-RPC methods of the `{}` trait: one async method per method of it, sent through any [`Caller`]({krate_text}::Caller).",
            item.ident
        ),
        docs: item
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .cloned()
            .collect(),
        krate: attrs.krate,
        methods,
    }
}
