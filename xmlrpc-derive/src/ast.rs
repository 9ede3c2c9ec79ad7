//! The model of a service: what `expand` reads. Built from the impl block, with every
//! mistake recorded in the [`Ctxt`] and pointed at the token to change.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{
    FnArg, GenericArgument, ImplItem, ItemImpl, Pat, PathArguments, ReturnType, Type, Visibility,
};

use crate::attr::{MethodAttrs, ServiceAttrs, doc_text};
use crate::ctxt::Ctxt;

/// A service: the impl block and its exposed methods.
pub(crate) struct Service {
    /// The impl block, with the `#[xmlrpc]` attributes taken out.
    pub(crate) item: ItemImpl,
    /// The name of the type, for the client's name.
    pub(crate) self_ident: syn::Ident,
    pub(crate) attrs: ServiceAttrs,
    pub(crate) methods: Vec<Method>,
}

/// An exposed method.
pub(crate) struct Method {
    pub(crate) ident: syn::Ident,
    /// The full RPC name, namespace included.
    pub(crate) rpc_name: String,
    /// Where to point errors about the name.
    pub(crate) name_span: Span,
    pub(crate) is_async: bool,
    pub(crate) args: Vec<Arg>,
    pub(crate) output: Output,
    pub(crate) help: String,
    /// The `#[doc]` attributes, for the client method.
    pub(crate) docs: Vec<syn::Attribute>,
}

/// A parameter of a method.
pub(crate) struct Arg {
    pub(crate) kind: ArgKind,
    pub(crate) ty: Type,
    /// The name in messages and on the client.
    pub(crate) name: String,
    /// The binding in generated code.
    pub(crate) binding: syn::Ident,
}

#[allow(clippy::large_enum_variant)] // one per parameter, at compile time: size is no concern
pub(crate) enum ArgKind {
    /// An XML-RPC parameter; `optional` when its type is an `Option` (it may be left out).
    Param { optional: bool },
    /// `&Context`: the request's context, not an XML-RPC parameter.
    Context,
    /// `State<T>`: taken from the registry's state (functions only); `inner` is `T`.
    State { inner: Type },
}

/// What a method returns.
#[allow(clippy::large_enum_variant)] // one per method, at compile time: size is no concern
pub(crate) enum Output {
    /// Nothing: `()`, sent as nil.
    Unit(Span),
    /// A value.
    Plain(Type),
    /// `Result<ok, err>`: the value or an error that becomes a fault; `err` is where to
    /// point errors about the error type (the `Result` itself for aliases without one).
    Result { err: Type, ok: Type },
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

/// The first type argument of `ty`'s last path segment, as in `Result<T, E>`.
fn first_type_arg(ty: &Type) -> Option<&Type> {
    match &last_segment(ty)?.arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    }
}

/// The second type argument of `ty`'s last path segment, as `E` in `Result<T, E>`.
fn second_type_arg(ty: &Type) -> Option<&Type> {
    match &last_segment(ty)?.arguments {
        PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|a| match a {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .nth(1),
        _ => None,
    }
}

fn is_named(ty: &Type, name: &str) -> bool {
    last_segment(ty).is_some_and(|s| s.ident == name)
}

/// Whether `ty` is `&Context` (any path to it).
fn is_context_ref(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => r.mutability.is_none() && is_named(&r.elem, "Context"),
        _ => false,
    }
}

/// `ty` with every named lifetime but `'static` made anonymous, so that generated code can
/// name it outside the method that declares the lifetimes.
pub(crate) fn erase_lifetimes(ty: &Type) -> Type {
    struct Eraser;
    impl syn::visit_mut::VisitMut for Eraser {
        fn visit_lifetime_mut(&mut self, lt: &mut syn::Lifetime) {
            if lt.ident != "static" {
                *lt = syn::Lifetime::new("'_", lt.span());
            }
        }
    }
    let mut ty = ty.clone();
    syn::visit_mut::VisitMut::visit_type_mut(&mut Eraser, &mut ty);
    ty
}

/// `ty` with every lifetime but `'static`, elided ones included, made `'__xmlrpc`, for
/// where-clauses under a `for<'__xmlrpc>` binder.
pub(crate) fn bind_lifetimes(ty: &Type) -> Type {
    struct Binder;
    impl syn::visit_mut::VisitMut for Binder {
        fn visit_lifetime_mut(&mut self, lt: &mut syn::Lifetime) {
            if lt.ident != "static" {
                *lt = syn::Lifetime::new("'__xmlrpc", lt.span());
            }
        }
        fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
            if r.lifetime.is_none() {
                r.lifetime = Some(syn::Lifetime::new("'__xmlrpc", r.and_token.span));
            }
            syn::visit_mut::visit_type_reference_mut(self, r);
        }
    }
    let mut ty = ty.clone();
    syn::visit_mut::VisitMut::visit_type_mut(&mut Binder, &mut ty);
    ty
}

/// Whether `ty` is `State<T>` (any path to it), and its `T`.
fn state_inner(ty: &Type) -> Option<&Type> {
    if is_named(ty, "State") {
        first_type_arg(ty)
    } else {
        None
    }
}

/// The parameters of a method or function, `inputs` numbered from 1, receiver left out:
/// `&Context`, `State<T>` (where `allow_state`) and XML-RPC parameters.
pub(crate) fn method_args<'a>(
    cx: &mut Ctxt,
    inputs: impl Iterator<Item = (usize, &'a FnArg)>,
    allow_state: bool,
) -> Vec<Arg> {
    let mut args = Vec::new();
    for (i, input) in inputs {
        let FnArg::Typed(pt) = input else { continue };
        let name = match &*pt.pat {
            Pat::Ident(p) => unraw(&p.ident),
            _ => format!("arg{i}"),
        };
        let ty = erase_lifetimes(&pt.ty);
        let kind = if is_context_ref(&ty) {
            ArgKind::Context
        } else if let Some(inner) = state_inner(&ty) {
            if !allow_state {
                cx.error_spanned_by(
                    &ty,
                    "a service keeps its state in `self`; `State<T>` parameters are for #[xmlrpc_function]s and closures",
                );
            }
            ArgKind::State {
                inner: inner.clone(),
            }
        } else {
            if is_named(&ty, "Context") {
                cx.error_spanned_by(&ty, "take the request context by reference: `&Context`");
            }
            ArgKind::Param {
                optional: is_named(&ty, "Option"),
            }
        };
        args.push(Arg {
            kind,
            ty,
            name,
            binding: syn::Ident::new(&format!("__xmlrpc_arg{i}"), pt.span()),
        });
    }
    args
}

/// What a method or function returns.
pub(crate) fn method_output(cx: &mut Ctxt, sig: &syn::Signature) -> Output {
    match &sig.output {
        ReturnType::Default => Output::Unit(sig.ident.span()),
        ReturnType::Type(_, ty) => match &**ty {
            Type::Tuple(t) if t.elems.is_empty() => Output::Unit(t.span()),
            Type::ImplTrait(t) => {
                cx.error_spanned_by(
                    t,
                    "an XML-RPC method returns a concrete type; use `async fn` for futures",
                );
                Output::Unit(t.span())
            }
            ty if is_named(ty, "Result") => match first_type_arg(ty) {
                Some(ok) => Output::Result {
                    err: erase_lifetimes(second_type_arg(ty).unwrap_or(ty)),
                    ok: erase_lifetimes(ok),
                },
                None => Output::Plain(erase_lifetimes(ty)),
            },
            ty => Output::Plain(erase_lifetimes(ty)),
        },
    }
}

pub(crate) fn unraw(ident: &syn::Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
}

impl Service {
    pub(crate) fn from_impl(
        cx: &mut Ctxt,
        attrs: ServiceAttrs,
        mut item: ItemImpl,
    ) -> Option<Service> {
        if let Some((_, path, _)) = &item.trait_ {
            cx.error_spanned_by(
                path,
                "#[xmlrpc_service] goes on an inherent impl block (`impl MyService { ... }`), not on a trait impl",
            );
            return None;
        }
        let Some(self_ident) = last_segment(&item.self_ty).map(|s| s.ident.clone()) else {
            cx.error_spanned_by(
                &item.self_ty,
                "#[xmlrpc_service] needs an impl block for a named type",
            );
            return None;
        };
        let mut methods = Vec::new();
        for impl_item in &mut item.items {
            let ImplItem::Fn(f) = impl_item else { continue };
            let method_attrs = MethodAttrs::take(cx, &mut f.attrs);
            if method_attrs.skip {
                continue;
            }
            let marked = method_attrs.present.is_some();
            let Some(receiver) = f.sig.receiver() else {
                if marked {
                    cx.error_spanned_by(
                        &f.sig.ident,
                        "an XML-RPC method takes `&self`; this function has no receiver",
                    );
                }
                continue;
            };
            let public = matches!(f.vis, Visibility::Public(_) | Visibility::Restricted(_));
            if !(public || method_attrs.expose || method_attrs.name.is_some()) {
                continue;
            }
            if receiver.colon_token.is_some() {
                cx.error_spanned_by(
                    receiver,
                    "an XML-RPC method takes `&self`, not a typed receiver",
                );
            } else if receiver.reference.is_none() {
                cx.error_spanned_by(
                    receiver,
                    "an XML-RPC method takes `&self`: the service is shared by every call, so it cannot be consumed by one; use `&self`",
                );
            } else if receiver.mutability.is_some() {
                cx.error_spanned_by(
                    receiver,
                    "an XML-RPC method takes `&self`: calls run concurrently, so use `&self` and keep mutable state in a `Mutex` or atomics",
                );
            }
            if let Some(param) = f
                .sig
                .generics
                .params
                .iter()
                .find(|p| !matches!(p, syn::GenericParam::Lifetime(_)))
            {
                cx.error_spanned_by(
                    param,
                    "an XML-RPC method cannot be generic: its parameter types must be known to read them from a call; use concrete types",
                );
            }
            let args = method_args(cx, f.sig.inputs.iter().enumerate().skip(1), false);
            let output = method_output(cx, &f.sig);
            let (base, name_span) = match &method_attrs.name {
                Some(lit) => (lit.value(), lit.span()),
                None => (
                    attrs.rename_all.apply(&unraw(&f.sig.ident)),
                    f.sig.ident.span(),
                ),
            };
            let rpc_name = match &attrs.namespace {
                Some(ns) => format!("{ns}.{base}"),
                None => base,
            };
            methods.push(Method {
                ident: f.sig.ident.clone(),
                rpc_name,
                name_span,
                is_async: f.sig.asyncness.is_some(),
                args,
                output,
                help: doc_text(&f.attrs),
                docs: f
                    .attrs
                    .iter()
                    .filter(|a| a.path().is_ident("doc"))
                    .cloned()
                    .collect(),
            });
        }
        Some(Service {
            item,
            self_ident,
            attrs,
            methods,
        })
    }
}
