//! The options: `#[xmlrpc_service(...)]` on the impl block and `#[xmlrpc(...)]` on methods.

use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Attribute, LitStr, Path};

use crate::ctxt::Ctxt;

/// Options of `#[xmlrpc_service(...)]`, and of `#[xmlrpc_client(...)]`, which takes the same.
pub(crate) struct ServiceAttrs {
    /// `namespace = "currentTime"`: every method under `currentTime.`.
    pub(crate) namespace: Option<String>,
    /// `client = "Name"`: the generated client's name.
    pub(crate) client: Option<syn::Ident>,
    /// `crate = "path"`: where the xmlrpc crate is.
    pub(crate) krate: Path,
    /// `rename_all = "camelCase"`: how method names become RPC names.
    pub(crate) rename_all: RenameAll,
}

/// The attributes that take the [`ServiceAttrs`] options, for their messages.
#[derive(Clone, Copy)]
pub(crate) enum ServiceAttribute {
    /// `#[xmlrpc_service]` on an impl block.
    Service,
    /// `#[xmlrpc_client]` on a trait.
    Client,
}

impl ServiceAttribute {
    fn name(self) -> &'static str {
        match self {
            ServiceAttribute::Service => "#[xmlrpc_service]",
            ServiceAttribute::Client => "#[xmlrpc_client]",
        }
    }

    /// The namespace that messages give as an example.
    fn namespace_example(self) -> &'static str {
        match self {
            ServiceAttribute::Service => "currentTime",
            ServiceAttribute::Client => "supervisor",
        }
    }

    /// The client name that messages give as an example.
    fn client_example(self) -> &'static str {
        match self {
            ServiceAttribute::Service => "CalculatorClient",
            ServiceAttribute::Client => "SupervisorClient",
        }
    }
}

/// How a method's Rust name becomes its RPC name when no `name` is given.
#[derive(Clone, Copy, Default)]
pub(crate) enum RenameAll {
    /// As written: `get_current_time`.
    #[default]
    None,
    /// `getCurrentTime`.
    Camel,
    /// `GetCurrentTime`.
    Pascal,
}

impl RenameAll {
    pub(crate) fn apply(self, name: &str) -> String {
        let upper_first = match self {
            RenameAll::None => return name.to_owned(),
            RenameAll::Camel => false,
            RenameAll::Pascal => true,
        };
        let mut out = String::with_capacity(name.len());
        let mut upper = upper_first;
        for c in name.chars() {
            if c == '_' {
                upper = true;
            } else if upper {
                out.extend(c.to_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// Whether `ns` is a usable namespace: dotted parts without spaces.
fn valid_namespace(ns: &str) -> bool {
    !ns.is_empty()
        && ns.split('.').all(|part| !part.is_empty())
        && !ns.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Remembers which options were given, so that a repeated one is reported where it
/// repeats instead of silently replacing the first.
#[derive(Default)]
struct Seen(Vec<String>);

impl Seen {
    /// Records `meta`'s option; the error when it was given before.
    fn first(&mut self, meta: &syn::meta::ParseNestedMeta<'_>, attribute: &str) -> syn::Result<()> {
        let name = meta
            .path
            .get_ident()
            .map_or_else(String::new, ToString::to_string);
        if self.0.contains(&name) {
            return Err(meta.error(format!("`{name}` is given twice in {attribute}; keep one")));
        }
        self.0.push(name);
        Ok(())
    }
}

/// Reads the options of an attribute's arguments (`#[xmlrpc_service(...)]` and the like) one
/// by one with `option`, reporting every mistake (see [`read_option`]).
pub(crate) fn parse_options(
    cx: &mut Ctxt,
    args: TokenStream,
    attribute: &str,
    mut option: impl FnMut(&ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    let mut seen = Seen::default();
    let mut errors = Vec::new();
    let parser = syn::meta::parser(|meta| {
        read_option(&meta, &mut seen, attribute, &mut errors, &mut option)
    });
    if let Err(e) = parser.parse2(args) {
        cx.push(e);
    }
    for e in errors {
        cx.push(e);
    }
}

/// Reads one option of `attribute` with `option`, once it is known not to be given twice. A
/// mistake goes to `errors` and the option's value is skipped, so that the options after it
/// are still read and their mistakes reported too.
fn read_option(
    meta: &ParseNestedMeta<'_>,
    seen: &mut Seen,
    attribute: &str,
    errors: &mut Vec<syn::Error>,
    option: impl FnOnce(&ParseNestedMeta<'_>) -> syn::Result<()>,
) -> syn::Result<()> {
    match seen.first(meta, attribute).and_then(|()| option(meta)) {
        Ok(()) => Ok(()),
        Err(e) => {
            errors.push(e);
            skip_value(meta)
        }
    }
}

/// Reads what follows an option the parser refuses (`= value`, or `(...)`), so that the
/// options after it are still read and their mistakes reported too.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _: proc_macro2::Group = meta.input.parse()?;
    }
    Ok(())
}

impl ServiceAttrs {
    /// Reads the options of `attribute`: `#[xmlrpc_service(...)]`, or `#[xmlrpc_client(...)]`,
    /// which takes the same.
    pub(crate) fn parse(
        cx: &mut Ctxt,
        args: TokenStream,
        attribute: ServiceAttribute,
    ) -> ServiceAttrs {
        let mut attrs = ServiceAttrs {
            namespace: None,
            client: None,
            krate: syn::parse_quote!(::xmlrpc),
            rename_all: RenameAll::None,
        };
        parse_options(cx, args, attribute.name(), |meta| {
            attrs.option(meta, attribute)
        });
        attrs
    }

    /// Reads one option.
    fn option(
        &mut self,
        meta: &ParseNestedMeta<'_>,
        attribute: ServiceAttribute,
    ) -> syn::Result<()> {
        if meta.path.is_ident("namespace") {
            let lit: LitStr = meta.value()?.parse()?;
            let ns = lit.value();
            if !valid_namespace(&ns) {
                return Err(syn::Error::new(
                    lit.span(),
                    format!(
                        "a namespace is a name or dotted names without spaces, such as \"{}\" or \"app.v2\"",
                        attribute.namespace_example()
                    ),
                ));
            }
            self.namespace = Some(ns);
        } else if meta.path.is_ident("client") {
            let lit: LitStr = meta.value()?.parse()?;
            self.client = Some(lit.parse().map_err(|_| {
                syn::Error::new(
                    lit.span(),
                    format!(
                        "the client name must be a Rust identifier, such as \"{}\"",
                        attribute.client_example()
                    ),
                )
            })?);
        } else if meta.path.is_ident("rename_all") {
            let lit: LitStr = meta.value()?.parse()?;
            self.rename_all = match lit.value().as_str() {
                "camelCase" => RenameAll::Camel,
                "PascalCase" => RenameAll::Pascal,
                "snake_case" | "none" => RenameAll::None,
                _ => {
                    return Err(syn::Error::new(
                        lit.span(),
                        "rename_all is \"camelCase\", \"PascalCase\" or \"snake_case\"",
                    ));
                }
            };
        } else if meta.path.is_ident("crate") {
            let lit: LitStr = meta.value()?.parse()?;
            self.krate = lit.parse()?;
        } else {
            return Err(meta.error(format!(
                "unknown option of {}; the options are `namespace = \"...\"`, `rename_all = \"camelCase\"`, `client = \"...\"` and `crate = \"...\"`",
                attribute.name()
            )));
        }
        Ok(())
    }
}

/// Options of `#[xmlrpc(...)]` on a method.
#[derive(Default)]
pub(crate) struct MethodAttrs {
    /// `name = "..."`: the RPC name (under the namespace).
    pub(crate) name: Option<LitStr>,
    /// `skip`: not exposed.
    pub(crate) skip: bool,
    /// `expose`: exposed although not `pub`.
    pub(crate) expose: bool,
    /// Whether any `#[xmlrpc]` attribute was present.
    pub(crate) present: Option<proc_macro2::Span>,
}

impl MethodAttrs {
    /// Reads and removes the `#[xmlrpc(...)]` attributes of a method. Options may be spread
    /// over several attributes; each may be given once.
    pub(crate) fn take(cx: &mut Ctxt, attrs: &mut Vec<Attribute>) -> MethodAttrs {
        let mut out = MethodAttrs::default();
        let mut seen = Seen::default();
        let mut kept = Vec::with_capacity(attrs.len());
        for attr in attrs.drain(..) {
            if !attr.path().is_ident("xmlrpc") {
                kept.push(attr);
                continue;
            }
            out.present = Some(syn::spanned::Spanned::span(&attr));
            let mut errors = Vec::new();
            let result = attr.parse_nested_meta(|meta| {
                read_option(&meta, &mut seen, "#[xmlrpc]", &mut errors, |meta| {
                    out.option(meta)
                })
            });
            if let Err(e) = result {
                cx.push(e);
            }
            for e in errors {
                cx.push(e);
            }
        }
        *attrs = kept;
        out
    }

    /// Reads one option.
    fn option(&mut self, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
        if meta.path.is_ident("name") {
            self.name = Some(method_name(meta)?);
        } else if meta.path.is_ident("skip") {
            self.skip = true;
        } else if meta.path.is_ident("expose") {
            self.expose = true;
        } else {
            return Err(meta.error(
                "unknown option of #[xmlrpc]; the options are `name = \"...\"`, `skip` and `expose`",
            ));
        }
        Ok(())
    }
}

/// Reads `name = "..."`, a valid method name.
pub(crate) fn method_name(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    let lit: LitStr = meta.value()?.parse()?;
    let name = lit.value();
    if name.is_empty() || name.starts_with('.') || name.ends_with('.') || name.contains("..") {
        return Err(syn::Error::new(
            lit.span(),
            "a method name must be non-empty, without leading, trailing or doubled dots",
        ));
    }
    Ok(lit)
}

/// The text of the `///` comments, lines joined, one leading space removed from each.
pub(crate) fn doc_text(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &attr.meta {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
            {
                let text = s.value();
                for line in text.lines() {
                    lines.push(line.strip_prefix(' ').unwrap_or(line).trim_end().to_owned());
                }
            }
        }
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}
