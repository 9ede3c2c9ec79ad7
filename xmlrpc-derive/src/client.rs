//! The typed client, from a model that both the service attribute (a service's twin) and
//! the trait attribute fill: one expansion for both.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Type;

use crate::ast::{ArgKind, Output, Service, bind_lifetimes};

/// The methods the generated client has besides the service's.
pub(crate) const CLIENT_METHODS: [&str; 4] = ["new", "with_prefix", "transport", "multicall"];

/// The methods the generated multicall has besides the service's.
pub(crate) const MULTICALL_METHODS: [&str; 1] = ["send"];

/// A typed client to generate.
pub(crate) struct ClientModel {
    pub(crate) krate: syn::Path,
    /// The client struct: `<Name>Client`, or the `client = "..."` option.
    pub(crate) name: syn::Ident,
    /// The multicall struct: the client's name with `Multicall` for `Client`.
    pub(crate) multicall: syn::Ident,
    pub(crate) vis: syn::Visibility,
    /// The first line of the client's docs.
    pub(crate) summary: String,
    /// Further docs (a trait's own).
    pub(crate) docs: Vec<syn::Attribute>,
    pub(crate) methods: Vec<ClientMethod>,
}

/// One method of the client.
pub(crate) struct ClientMethod {
    pub(crate) ident: syn::Ident,
    /// The full RPC name, namespace included.
    pub(crate) rpc_name: String,
    pub(crate) docs: Vec<syn::Attribute>,
    pub(crate) params: Vec<ClientParam>,
    /// The result type as declared (lifetimes erased), `None` for nothing.
    pub(crate) ret: Option<Type>,
    /// How many parameters come before the trailing run of `Option`s, which the client
    /// leaves out of the call when they are `None`.
    pub(crate) required: usize,
}

/// One parameter.
pub(crate) struct ClientParam {
    pub(crate) ident: syn::Ident,
    pub(crate) ty: Type,
}

impl ClientModel {
    /// The client of a service's impl block.
    pub(crate) fn from_service(service: &Service) -> ClientModel {
        let name = service
            .attrs
            .client
            .clone()
            .unwrap_or_else(|| format_ident!("{}Client", service.self_ident));
        let methods = service
            .methods
            .iter()
            .map(|m| {
                let mut params = Vec::new();
                let mut optional = Vec::new();
                for arg in &m.args {
                    let ArgKind::Param { optional: o } = arg.kind else {
                        continue;
                    };
                    let ident = syn::parse_str::<syn::Ident>(&arg.name)
                        .unwrap_or_else(|_| arg.binding.clone());
                    params.push(ClientParam {
                        ident,
                        ty: arg.ty.clone(),
                    });
                    optional.push(o);
                }
                ClientMethod {
                    ident: m.ident.clone(),
                    rpc_name: m.rpc_name.clone(),
                    docs: m.docs.clone(),
                    required: required(&optional),
                    params,
                    ret: match &m.output {
                        Output::Unit(_) => None,
                        Output::Plain(ty) | Output::Result { ok: ty, .. } => Some(ty.clone()),
                    },
                }
            })
            .collect();
        ClientModel {
            krate: service.attrs.krate.clone(),
            multicall: multicall_name(&name),
            name,
            vis: syn::parse_quote!(pub),
            summary: format!(
                "A typed client for the `{}` XML-RPC service: one async method per method of the service, sent through any [`Caller`]({}::Caller).",
                service.self_ident,
                path_text(&service.attrs.krate)
            ),
            docs: Vec::new(),
            methods,
        }
    }
}

/// The number of parameters before the trailing run of optional ones.
pub(crate) fn required(optional: &[bool]) -> usize {
    optional.iter().rposition(|o| !o).map_or(0, |i| i + 1)
}

/// `FooMulticall` for `FooClient`, `BarMulticall` for `Bar`.
pub(crate) fn multicall_name(client: &syn::Ident) -> syn::Ident {
    let text = client.to_string();
    let base = text.strip_suffix("Client").unwrap_or(&text);
    format_ident!("{}Multicall", base, span = client.span())
}

/// A path as text for docs (`::xmlrpc`).
fn path_text(path: &syn::Path) -> String {
    quote!(#path).to_string().replace(' ', "")
}

/// The owned type a client receives for `ty`: `String` for `&str`, `Vec<T>` for `&[T]`.
fn owned(ty: &Type) -> TokenStream {
    match ty {
        Type::Reference(r) => match &*r.elem {
            Type::Path(p) if p.path.is_ident("str") => quote!(::std::string::String),
            Type::Slice(s) => {
                let elem = &s.elem;
                quote!(::std::vec::Vec<#elem>)
            }
            elem => owned(elem),
        },
        ty => quote!(#ty),
    }
}

/// `ty` with every lifetime made `'static`, for a result type named outside any method.
fn static_lifetimes(ty: &Type) -> Type {
    struct Statics;
    impl syn::visit_mut::VisitMut for Statics {
        fn visit_lifetime_mut(&mut self, lt: &mut syn::Lifetime) {
            *lt = syn::Lifetime::new("'static", lt.span());
        }
    }
    let mut ty = ty.clone();
    syn::visit_mut::VisitMut::visit_type_mut(&mut Statics, &mut ty);
    ty
}

/// What one method sends: the statements that write and send its call through `caller`,
/// or queue it on the multicall `inner`.
fn send_call(
    krate: &syn::Path,
    m: &ClientMethod,
    target: CallTarget,
    multicall: &syn::Ident,
) -> TokenStream {
    let rpc_name = &m.rpc_name;
    let idents: Vec<&syn::Ident> = m.params.iter().map(|p| &p.ident).collect();
    let ret = result_type(m);
    if m.required == m.params.len() {
        return match target {
            CallTarget::Caller => quote! {
                let __name = #krate::__private::prefixed(self.prefix.as_deref(), #rpc_name);
                #krate::__private::typed_call(&self.caller, &__name, (#(#idents,)*)).await
            },
            CallTarget::Multicall => quote! {
                let __name = #krate::__private::prefixed(self.prefix, #rpc_name);
                #multicall {
                    inner: self.inner.call::<#ret>(&__name, (#(#idents,)*)),
                    prefix: self.prefix,
                }
            },
        };
    }
    let required = m.required;
    let given = idents[required..]
        .iter()
        .map(|id| quote!(::std::option::Option::is_some(&#id)));
    let pushes = idents.iter().enumerate().map(|(i, id)| {
        if i < required {
            quote! { __args.push(&#id); }
        } else {
            quote! { if __count > #i { __args.push(&#id); } }
        }
    });
    let head = quote! {
        let __count = #krate::__private::params_to_send(#required, &[#(#given),*]);
    };
    match target {
        CallTarget::Caller => quote! {
            let __name = #krate::__private::prefixed(self.prefix.as_deref(), #rpc_name);
            #head
            let mut __args = #krate::__private::CallArgs::new(#krate::Caller::dialect(&self.caller), &__name);
            #(#pushes)*
            __args.send(&self.caller).await
        },
        CallTarget::Multicall => quote! {
            let __name = #krate::__private::prefixed(self.prefix, #rpc_name);
            #head
            let mut __args = #krate::__private::CallArgs::new(self.inner.__dialect(), &__name);
            #(#pushes)*
            #multicall {
                inner: self.inner.__call_document::<#ret>(__args.finish()),
                prefix: self.prefix,
            }
        },
    }
}

#[derive(Clone, Copy)]
enum CallTarget {
    Caller,
    Multicall,
}

/// The type a method's result is read as, for the multicall's tuple.
fn result_type(m: &ClientMethod) -> TokenStream {
    match &m.ret {
        None => quote!(()),
        Some(ty) => owned(&static_lifetimes(ty)),
    }
}

pub(crate) fn expand(model: &ClientModel) -> TokenStream {
    let krate = &model.krate;
    let name = &model.name;
    let multicall = &model.multicall;
    let vis = &model.vis;
    let summary = &model.summary;
    let docs = &model.docs;
    let multicall_doc = format!(
        "Calls of [`{name}`] queued for one `system.multicall`, each typed: every method queues its call, and [`send`]({multicall}::send) gives back one `Result<T, Fault>` per call, in order, in a tuple. Made by [`{name}::multicall`]."
    );
    let methods = model.methods.iter().map(|m| {
        let ident = &m.ident;
        let rpc_name = &m.rpc_name;
        let method_docs = &m.docs;
        let decls = m.params.iter().map(|p| {
            let (id, ty) = (&p.ident, &p.ty);
            quote!(#id: #ty)
        });
        let bound_params = m.params.iter().map(|p| bind_lifetimes(&p.ty));
        let (ret, bound_ret) = match &m.ret {
            None => (quote!(()), quote!(())),
            Some(ty) => (owned(ty), owned(&bind_lifetimes(ty))),
        };
        let call_doc = format!("Calls `{rpc_name}`.");
        let body = send_call(krate, m, CallTarget::Caller, multicall);
        quote! {
            #(#method_docs)*
            #[doc = ""]
            #[doc = #call_doc]
            pub async fn #ident(&self, #(#decls),*) -> ::std::result::Result<#ret, #krate::CallError>
            where
                // Under a binder, the bound is checked where the method is called, so a
                // result type that cannot be read back only disables this one method.
                for<'__xmlrpc> #bound_ret: #krate::__private::serde::de::DeserializeOwned,
                #(for<'__xmlrpc> #bound_params: #krate::__private::serde::Serialize,)*
            {
                #body
            }
        }
    });
    let queued = model.methods.iter().map(|m| {
        let ident = &m.ident;
        let rpc_name = &m.rpc_name;
        let decls = m.params.iter().map(|p| {
            let (id, ty) = (&p.ident, &p.ty);
            quote!(#id: #ty)
        });
        let bound_params = m.params.iter().map(|p| bind_lifetimes(&p.ty));
        let ret = result_type(m);
        let doc = format!("Queues a call of `{rpc_name}`, read as `{}`.", ret.to_string().replace(' ', ""));
        let body = send_call(krate, m, CallTarget::Multicall, multicall);
        quote! {
            #[doc = #doc]
            pub fn #ident(self, #(#decls),*) -> #multicall<'__m, C, <T as #krate::__private::Append<#ret>>::Output>
            where
                T: #krate::__private::Append<#ret>,
                #(for<'__xmlrpc> #bound_params: #krate::__private::serde::Serialize,)*
            {
                #body
            }
        }
    });
    quote! {
        #[doc = #summary]
        #[doc = ""]
        #(#docs)*
        #[derive(Debug, Clone)]
        #vis struct #name<C> {
            caller: C,
            prefix: ::std::option::Option<::std::string::String>,
        }

        #[allow(private_interfaces, clippy::needless_lifetimes, clippy::too_many_arguments)]
        impl<C: #krate::Caller> #name<C> {
            /// A client that sends its calls through `caller`.
            pub fn new(caller: C) -> Self {
                Self { caller, prefix: ::std::option::Option::None }
            }

            /// A client for the service mounted under `prefix` (as with
            /// `Registry::service_at`): it calls `prefix.method`.
            pub fn with_prefix(caller: C, prefix: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self { caller, prefix: ::std::option::Option::Some(prefix.into()) }
            }

            /// The caller the calls go through.
            pub fn transport(&self) -> &C {
                &self.caller
            }

            /// An empty typed multicall: queue calls with the client's method names, then
            /// `send` them in one round trip.
            pub fn multicall(&self) -> #multicall<'_, C, ()> {
                #multicall {
                    inner: #krate::__private::TypedMultiCall::new(&self.caller),
                    prefix: self.prefix.as_deref(),
                }
            }

            #(#methods)*
        }

        #[doc = #multicall_doc]
        #[derive(Debug)]
        #vis struct #multicall<'__m, C, T = ()> {
            inner: #krate::__private::TypedMultiCall<'__m, C, T>,
            prefix: ::std::option::Option<&'__m str>,
        }

        #[allow(private_interfaces, clippy::needless_lifetimes, clippy::too_many_arguments)]
        impl<'__m, C: #krate::Caller, T> #multicall<'__m, C, T> {
            #(#queued)*

            /// Sends the queued calls and reads one `Result<T, Fault>` per call, in order.
            ///
            /// # Errors
            ///
            /// The multicall as a whole failed: see `MultiCall::send`.
            pub async fn send(&self) -> ::std::result::Result<<T as #krate::__private::Queued>::Results, #krate::CallError>
            where
                T: #krate::__private::Queued,
            {
                self.inner.send().await
            }
        }
    }
}
