//! The `#[xmlrpc_service]`, `#[xmlrpc_function]` and `#[xmlrpc_client]` attributes of the
//! [`xmlrpc`](https://docs.rs/xmlrpc) crate.
//!
//! Use it through `xmlrpc::xmlrpc_service`; this crate is an implementation detail whose
//! version is pinned exactly by `xmlrpc`. The expansion goes in three steps: `attr` and
//! `ast` build a checked model of the impl block, `check` applies the rules across
//! methods, and `expand` writes the code from the model alone.

mod ast;
mod attr;
mod check;
mod client;
mod ctxt;
mod expand;
mod function;
mod trait_client;

use proc_macro::TokenStream;

/// Turns an inherent `impl` block into an XML-RPC service, and generates a typed client.
///
/// The rules and options are documented where `xmlrpc` re-exports it, as `xmlrpc::xmlrpc_service`.
#[proc_macro_attribute]
pub fn xmlrpc_service(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut cx = ctxt::Ctxt::default();
    let attrs = attr::ServiceAttrs::parse(&mut cx, args.into(), attr::ServiceAttribute::Service);
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

/// Turns a trait that declares a server's methods into a typed client of that server.
///
/// The rules and options are documented where `xmlrpc` re-exports it, as `xmlrpc::xmlrpc_client`.
#[proc_macro_attribute]
pub fn xmlrpc_client(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut item: syn::ItemTrait = match syn::parse(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            let span_source: proc_macro2::TokenStream = input.clone().into();
            let first = span_source.into_iter().next();
            let error = syn::Error::new(
                first.map_or_else(proc_macro2::Span::call_site, |t| t.span()),
                "#[xmlrpc_client] goes on a trait that declares the server's methods: `trait Supervisor { fn get_state(&self) -> State; }`",
            );
            let mut out = error.to_compile_error();
            out.extend(proc_macro2::TokenStream::from(input));
            return out.into();
        }
    };
    let mut cx = ctxt::Ctxt::default();
    let model = trait_client::model(&mut cx, args.into(), &mut item);
    // The client is generated with the methods that can be called even beside mistakes, so
    // that code using it sees only the errors that matter.
    let mut out = client::expand(&model);
    if let Err(errors) = cx.check() {
        out.extend(errors.to_compile_error());
    }
    out.into()
}
