//! `#[xmlrpc_function]`: a documented free function as a method. The options and the model
//! are built here from the parameter and result parsing that services use (`ast`), and the
//! expansion reuses the services' method description and call body (`expand`).
//!
//! The function becomes a unit struct of the same name (the value that
//! `Registry::register` takes), whose inherent `call` is the function as written; a
//! synchronous function's struct also dereferences to a function pointer, so that
//! `pow(2, 9)` still calls it.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, FnArg, ItemFn, LitStr, Path, Type};

use crate::ast::{ArgKind, Method, method_args, method_output, unraw};
use crate::attr::{doc_text, method_name, parse_options};
use crate::ctxt::Ctxt;
use crate::expand::{Callee, method_body, method_info, probe_traits};

/// Options of `#[xmlrpc_function(...)]`.
pub(crate) struct FunctionAttrs {
    /// `name = "..."`: the method name, instead of the function's.
    name: Option<LitStr>,
    /// `crate = "path"`: where the xmlrpc crate is.
    krate: Path,
}

impl FunctionAttrs {
    pub(crate) fn parse(cx: &mut Ctxt, args: TokenStream) -> FunctionAttrs {
        let mut attrs = FunctionAttrs {
            name: None,
            krate: syn::parse_quote!(::xmlrpc),
        };
        parse_options(cx, args, "#[xmlrpc_function]", |meta| attrs.option(meta));
        attrs
    }

    fn option(&mut self, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
        if meta.path.is_ident("name") {
            self.name = Some(method_name(meta)?);
        } else if meta.path.is_ident("crate") {
            let lit: LitStr = meta.value()?.parse()?;
            self.krate = lit.parse()?;
        } else {
            return Err(meta.error(
                "unknown option of #[xmlrpc_function]; the options are `name = \"...\"` and `crate = \"...\"`",
            ));
        }
        Ok(())
    }
}

/// A documented function: the item, its options, and the method it makes.
pub(crate) struct Function {
    item: ItemFn,
    attrs: FunctionAttrs,
    method: Method,
}

impl Function {
    pub(crate) fn from_item(cx: &mut Ctxt, attrs: FunctionAttrs, item: ItemFn) -> Function {
        let sig = &item.sig;
        if let Some(receiver) = sig.receiver() {
            cx.error_spanned_by(
                receiver,
                "#[xmlrpc_function] goes on a free function; for methods that take `&self`, put #[xmlrpc_service] on their impl block",
            );
        }
        if let Some(param) = sig
            .generics
            .params
            .iter()
            .find(|p| !matches!(p, syn::GenericParam::Lifetime(_)))
        {
            cx.error_spanned_by(
                param,
                "an XML-RPC function cannot be generic: its parameter types must be known to read them from a call; use concrete types",
            );
        }
        if let Some(unsafety) = &sig.unsafety {
            cx.error_spanned_by(unsafety, "an XML-RPC function cannot be `unsafe`");
        }
        if let Some(constness) = &sig.constness {
            cx.error_spanned_by(
                constness,
                "an XML-RPC function cannot be `const`: it becomes a value of the same name",
            );
        }
        for input in &sig.inputs {
            if let FnArg::Typed(pt) = input {
                if let Type::ImplTrait(t) = &*pt.ty {
                    cx.error_spanned_by(
                        t,
                        "an XML-RPC function's parameters have concrete types, to read them from a call",
                    );
                }
            }
        }
        let args = method_args(
            cx,
            sig.inputs.iter().enumerate().map(|(i, a)| (i + 1, a)),
            true,
        );
        let output = method_output(cx, sig);
        let (rpc_name, name_span) = match &attrs.name {
            Some(lit) => (lit.value(), lit.span()),
            None => (unraw(&sig.ident), sig.ident.span()),
        };
        let method = Method {
            ident: sig.ident.clone(),
            rpc_name,
            name_span,
            is_async: sig.asyncness.is_some(),
            args,
            output,
            help: doc_text(&item.attrs),
            docs: item
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect(),
        };
        Function {
            item,
            attrs,
            method,
        }
    }
}

/// Whether an attribute must stay on every generated item (`cfg`), or goes on the function.
fn is_cfg(attr: &Attribute) -> bool {
    attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr")
}

/// The function-pointer type a synchronous function's struct dereferences to, when one can
/// be written: `for<'a> fn(&'a str) -> R`.
fn pointer_type(item: &ItemFn) -> Option<TokenStream> {
    let sig = &item.sig;
    if sig.asyncness.is_some() || sig.generics.where_clause.is_some() || sig.variadic.is_some() {
        return None;
    }
    let lifetimes: Vec<&syn::Lifetime> = sig.generics.lifetimes().map(|l| &l.lifetime).collect();
    let binder = if lifetimes.is_empty() {
        quote!()
    } else {
        quote!(for<#(#lifetimes),*>)
    };
    let mut types = Vec::new();
    for input in &sig.inputs {
        match input {
            FnArg::Typed(pt) => types.push(&pt.ty),
            FnArg::Receiver(_) => return None,
        }
    }
    let output = &sig.output;
    Some(quote!(#binder fn(#(#types),*) #output))
}

pub(crate) fn expand(function: &Function) -> TokenStream {
    let krate = &function.attrs.krate;
    let item = &function.item;
    let method = &function.method;
    let ident = &item.sig.ident;
    let vis = &item.vis;
    let docs = &method.docs;
    let cfgs: Vec<&Attribute> = item.attrs.iter().filter(|a| is_cfg(a)).collect();
    let fn_attrs: Vec<&Attribute> = item
        .attrs
        .iter()
        .filter(|a| !a.path().is_ident("doc"))
        .collect();
    let mut sig = item.sig.clone();
    sig.ident = syn::Ident::new("call", ident.span());
    let block = &item.block;
    let rpc_name = &method.rpc_name;

    let callee = quote!(#ident::call);
    let info = method_info(krate, method, quote!(__name));
    let body = method_body(krate, method, Callee::Path(&callee));
    let run = if method.is_async {
        quote! { #krate::__private::MethodFuture::new(async move { #body }) }
    } else {
        quote! { #krate::__private::MethodFuture::ready((move || { #body })()) }
    };
    let probes = probe_traits(krate);
    let state_bounds = method.args.iter().filter_map(|a| match &a.kind {
        ArgKind::State { inner } => Some(quote_spanned! {inner.span()=>
            #inner: #krate::__private::FromRef<__S>,
        }),
        _ => None,
    });
    let deref = pointer_type(item).map(|pointer| {
        quote! {
            #(#cfgs)*
            impl ::core::ops::Deref for #ident {
                type Target = #pointer;
                fn deref(&self) -> &Self::Target {
                    &(#ident::call as #pointer)
                }
            }
        }
    });
    let message = format!(
        "`{rpc_name}` is answered by the registry itself; give the function another method name with #[xmlrpc_function(name = \"...\")]"
    );
    let reserved = quote_spanned! {method.name_span=>
        #(#cfgs)*
        const _: () = if #krate::__private::is_reserved(#rpc_name) {
            ::std::panic!(#message)
        };
    };
    let struct_doc = if docs.is_empty() {
        let text = format!("The XML-RPC method `{rpc_name}`.");
        quote!(#[doc = #text])
    } else {
        quote!(#(#docs)*)
    };
    let call_note = if pointer_type(item).is_some() {
        format!(
            "Registered with `Registry::register({ident})`; call the function as `{ident}(...)` or `{ident}::call(...)`."
        )
    } else {
        format!(
            "Registered with `Registry::register({ident})`; call the function as `{ident}::call(...)`."
        )
    };
    quote! {
        #struct_doc
        #[doc = ""]
        #[doc = #call_note]
        #(#cfgs)*
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy)]
        #vis struct #ident;

        #(#cfgs)*
        impl #ident {
            #(#docs)*
            #(#fn_attrs)*
            #vis #sig #block
        }

        #deref

        #reserved

        #(#cfgs)*
        impl<__S: ::core::marker::Send + ::core::marker::Sync + 'static>
            #krate::__private::Function<__S> for #ident
        where
            #(#state_bounds)*
        {
            const NAME: &'static str = #rpc_name;

            fn info(&self, __name: ::std::string::String) -> #krate::MethodInfo {
                #info
            }

            #[allow(clippy::needless_lifetimes, clippy::let_unit_value, unused_mut, unused_variables)]
            fn call<'__xmlrpc>(
                &'__xmlrpc self,
                __call: #krate::Call<'__xmlrpc>,
                __state: &'__xmlrpc __S,
            ) -> #krate::MethodFuture<'__xmlrpc> {
                #probes
                #run
            }
        }
    }
}

/// The attribute's entry point: the expansion, or every error and the function unchanged.
pub(crate) fn entry(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut cx = Ctxt::default();
    let attrs = FunctionAttrs::parse(&mut cx, args);
    let item: ItemFn = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(_) => {
            let first = input.clone().into_iter().next();
            let error = syn::Error::new(
                first.map_or_else(Span::call_site, |t| t.span()),
                "#[xmlrpc_function] goes on a free function: `fn name(...) -> T { ... }`",
            );
            let mut out = error.to_compile_error();
            out.extend(input);
            return out;
        }
    };
    let function = Function::from_item(&mut cx, attrs, item);
    match cx.check() {
        Ok(()) => expand(&function),
        Err(errors) => {
            // The function as written too, so that its callers still resolve and the user
            // sees only the errors that matter.
            let item = &function.item;
            let mut out = errors.to_compile_error();
            out.extend(quote!(#item));
            out
        }
    }
}
