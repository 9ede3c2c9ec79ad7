//! The `#[xmlrpc_service]` and `#[xmlrpc_function]` attributes of the [`xmlrpc`](https://docs.rs/xmlrpc) crate.
//!
//! Use it through `xmlrpc::xmlrpc_service`; this crate is an implementation detail whose
//! version is pinned exactly by `xmlrpc`. The expansion goes in three steps: `attr` and
//! `ast` build a checked model of the impl block, `check` applies the rules across
//! methods, and `expand` writes the code from the model alone.

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod function;

use proc_macro::TokenStream;

/// Turns an inherent `impl` block into an XML-RPC service, and generates a typed client.
///
/// The rules and options are documented where `xmlrpc` re-exports it, as `xmlrpc::xmlrpc_service`.
#[proc_macro_attribute]
pub fn xmlrpc_service(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut cx = ctxt::Ctxt::default();
    let attrs = attr::ServiceAttrs::parse(&mut cx, args.into());
    let item: syn::ItemImpl = match syn::parse(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            let span_source: proc_macro2::TokenStream = input.clone().into();
            let first = span_source.into_iter().next();
            let error = syn::Error::new(
                first.map_or_else(proc_macro2::Span::call_site, |t| t.span()),
                "#[xmlrpc_service] goes on an inherent impl block: `impl MyService { ... }`",
            );
            let mut out = error.to_compile_error();
            out.extend(proc_macro2::TokenStream::from(input));
            return out.into();
        }
    };
    let fallback = item.clone();
    let service = ast::Service::from_impl(&mut cx, attrs, item);
    if let Some(service) = &service {
        check::check(&mut cx, service);
    }
    match (cx.check(), service) {
        (Ok(()), Some(service)) => expand::expand(&service).into(),
        (Err(errors), service) => {
            // Emit the impl block too, so that its own code still resolves and the user sees
            // only the errors that matter.
            let item = service.map_or(fallback, |s| s.item);
            let mut out = errors.to_compile_error();
            out.extend(quote::quote!(#item));
            out.into()
        }
        (Ok(()), None) => quote::quote!(#fallback).into(),
    }
}

/// Makes a free function a documented XML-RPC method: its `///` comment is its help, its
/// parameter names and types its signature, and `Registry::register` takes it by name.
///
/// The rules and options are documented where `xmlrpc` re-exports it, as `xmlrpc::xmlrpc_function`.
#[proc_macro_attribute]
pub fn xmlrpc_function(args: TokenStream, input: TokenStream) -> TokenStream {
    function::entry(args.into(), input.into()).into()
}
