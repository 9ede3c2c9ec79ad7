//! Code generation from the model: the `Service` implementation; the typed client beside
//! it is [`crate::client`]'s, shared with the trait attribute.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use crate::ast::{Arg, ArgKind, Method, Output, Service};

/// The expression that names `ty`'s XML-RPC type, from the most precise source it has.
fn type_probe(krate: &syn::Path, ty: &Type) -> TokenStream {
    quote_spanned! {ty.span()=>
        (&&&#krate::__private::Probe::<#ty>::new()).xmlrpc_type()
    }
}

/// The expression that gives `ty`'s [`Shape`](xmlrpc::Shape): its type name, and a struct's
/// members or an array's items where its `Deserialize` tells them.
fn shape_probe(krate: &syn::Path, ty: &Type) -> TokenStream {
    quote_spanned! {ty.span()=>
        (&&&&#krate::__private::Probe::<#ty>::new()).xmlrpc_shape()
    }
}

/// The `use` that brings the probe's traits into scope, for generated code.
pub(crate) fn probe_traits(krate: &syn::Path) -> TokenStream {
    quote! {
        #[allow(unused_imports)]
        use #krate::__private::{
            ViaDescribe as _, ViaDescribeAndDeserialize as _, ViaDeserialize as _, ViaFallback as _,
        };
    }
}

fn params(method: &Method) -> impl Iterator<Item = (&Arg, bool)> {
    method.args.iter().filter_map(|a| match a.kind {
        ArgKind::Param { optional } => Some((a, optional)),
        ArgKind::Context | ArgKind::State { .. } => None,
    })
}

/// `MethodInfo` for one method: name, help, a signature per accepted parameter count,
/// parameter names and shapes.
pub(crate) fn method_info(krate: &syn::Path, method: &Method, name: TokenStream) -> TokenStream {
    let help = &method.help;
    let (ret, ret_shape) = match &method.output {
        Output::Unit(_) => (quote!("nil"), quote!(#krate::Shape::new("nil"))),
        Output::Plain(ty) | Output::Result { ok: ty, .. } => {
            if matches!(ty, Type::Tuple(t) if t.elems.is_empty()) {
                (quote!("nil"), quote!(#krate::Shape::new("nil")))
            } else {
                (type_probe(krate, ty), shape_probe(krate, ty))
            }
        }
    };
    let types: Vec<TokenStream> = params(method)
        .map(|(a, _)| type_probe(krate, &a.ty))
        .collect();
    let shapes: Vec<TokenStream> = params(method)
        .map(|(a, _)| shape_probe(krate, &a.ty))
        .collect();
    let probes = probe_traits(krate);
    let names: Vec<&String> = params(method).map(|(a, _)| &a.name).collect();
    let count = types.len();
    let required = params(method)
        .enumerate()
        .filter(|(_, (_, optional))| !optional)
        .map(|(i, _)| i + 1)
        .last()
        .unwrap_or(0);
    quote! {
        {
            #probes
            let __ret: &'static str = #ret;
            let __params: [&'static str; #count] = [#(#types),*];
            let mut __info = #krate::MethodInfo::new(#name).help(#help);
            for __n in #required..=#count {
                __info = __info.signature(
                    ::std::iter::once(__ret).chain(__params[..__n].iter().copied()),
                );
            }
            __info.params = ::std::vec![#(::std::borrow::Cow::Borrowed(#names)),*];
            __info.param_shapes = ::std::vec![#(#shapes),*];
            __info.result_shape = ::std::option::Option::Some(#ret_shape);
            __info
        }
    }
}

/// What a generated body calls: the method on `self`, or a function by its path.
pub(crate) enum Callee<'a> {
    SelfMethod,
    Path(&'a TokenStream),
}

/// The body that reads the parameters, runs the method and encodes its result. It reads
/// `__call` (a `Call`), and for `State` parameters `__state`.
pub(crate) fn method_body(krate: &syn::Path, method: &Method, callee: Callee<'_>) -> TokenStream {
    let mut reads = Vec::new();
    let mut index = 0usize;
    for arg in &method.args {
        let binding = &arg.binding;
        let ty = &arg.ty;
        match arg.kind {
            ArgKind::Context => reads.push(quote! { let #binding = __call.context(); }),
            ArgKind::State { .. } => reads.push(quote_spanned! {ty.span()=>
                let #binding: #ty = #krate::__private::state(__state);
            }),
            ArgKind::Param { .. } => {
                let name = &arg.name;
                let probe = type_probe(krate, ty);
                reads.push(quote_spanned! {ty.span()=>
                    let #binding: #ty = <#ty as #krate::bounds::Param<'_>>::read(&mut __call, #index, #name, #probe)?;
                });
                index += 1;
            }
        }
    }
    let ident = &method.ident;
    let bindings = method.args.iter().map(|a| &a.binding);
    let target = match callee {
        Callee::SelfMethod => quote!(self.#ident),
        Callee::Path(path) => quote!(#path),
    };
    let invoke = if method.is_async {
        quote! { #target(#(#bindings),*).await }
    } else {
        quote! { #target(#(#bindings),*) }
    };
    let reply = match &method.output {
        Output::Unit(span) => quote_spanned! {*span=>
            let () = __out;
            __call.reply(&())
        },
        Output::Plain(ty) => quote_spanned! {ty.span()=>
            #krate::bounds::Returnable::reply(&__out, &__call)
        },
        Output::Result { err, ok } => {
            let ok_reply = quote_spanned! {ok.span()=>
                #krate::bounds::Returnable::reply(&__value, &__call)
            };
            let err = quote_spanned! {err.span()=>
                #krate::bounds::IntoFault::into_app_fault(__error)
            };
            quote! {
                match __out {
                    ::std::result::Result::Ok(__value) => #ok_reply,
                    ::std::result::Result::Err(__error) => ::std::result::Result::Err(#err),
                }
            }
        }
    };
    quote! {
        let mut __call = __call;
        #(#reads)*
        __call.finish_params(#index)?;
        let __out = #invoke;
        #reply
    }
}

/// A compile-time check per method that its name is not one of the registry's own
/// `system.*` names, asked of the registry's list so that there is one list.
fn reserved_names(krate: &syn::Path, service: &Service) -> TokenStream {
    let checks = service.methods.iter().map(|m| {
        let name = &m.rpc_name;
        let message = format!(
            "`{name}` is answered by the registry itself; give the method another name with #[xmlrpc(name = \"...\")]"
        );
        quote_spanned! {m.name_span=>
            const _: () = if #krate::__private::is_reserved(#name) {
                ::std::panic!(#message)
            };
        }
    });
    quote! { #(#checks)* }
}

pub(crate) fn expand(service: &Service) -> TokenStream {
    let krate = &service.attrs.krate;
    let item = &service.item;
    let self_ty = &item.self_ty;
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let infos = service.methods.iter().map(|m| {
        let name = &m.rpc_name;
        method_info(krate, m, quote!(#name))
    });
    let arms = service.methods.iter().map(|m| {
        let name = &m.rpc_name;
        let body = method_body(krate, m, Callee::SelfMethod);
        if m.is_async {
            quote! {
                #name => #krate::__private::MethodFuture::new(async move { #body }),
            }
        } else {
            // A synchronous method runs at once: no future, no allocation.
            quote! {
                #name => #krate::__private::MethodFuture::ready((move || { #body })()),
            }
        }
    });
    let client = if item.generics.params.is_empty() {
        crate::client::expand(&crate::client::ClientModel::from_service(service))
    } else {
        TokenStream::new()
    };
    let reserved = reserved_names(krate, service);
    quote! {
        #item

        #reserved

        impl #impl_generics #krate::Service for #self_ty #where_clause {
            fn methods(&self) -> #krate::__private::Vec<#krate::MethodInfo> {
                #[allow(unused_imports)]
                use #krate::__private::{ViaDescribe as _, ViaDeserialize as _, ViaFallback as _};
                ::std::vec![#(#infos),*]
            }

            #[allow(clippy::needless_lifetimes, clippy::let_unit_value, unused_mut)]
            fn call<'__xmlrpc>(
                &'__xmlrpc self,
                __method: &'__xmlrpc str,
                __call: #krate::Call<'__xmlrpc>,
            ) -> #krate::MethodFuture<'__xmlrpc> {
                #[allow(unused_imports)]
                use #krate::__private::{ViaDescribe as _, ViaDeserialize as _, ViaFallback as _};
                match __method {
                    #(#arms)*
                    _ => #krate::__private::MethodFuture::ready(
                        ::std::result::Result::Err(#krate::Fault::method_not_found(__method)),
                    ),
                }
            }
        }

        #client
    }
}
