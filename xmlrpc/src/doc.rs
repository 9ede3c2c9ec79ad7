//! HTML documentation pages for a [`Registry`]: the Rust form of Python's
//! `DocXMLRPCServer`, with parameter and return types and a form to try each method.

use std::fmt::Write;

use crate::registry::Registry;
use crate::service::MethodInfo;

/// The title, name and description of a documentation page (Python's `set_server_title`,
/// `set_server_name` and `set_server_documentation`).
///
/// # Examples
///
/// ```
/// use xmlrpc::{DocPage, Registry};
///
/// let registry = Registry::new().function("add", |a: i32, b: i32| a + b);
/// let page = DocPage::new()
///     .title("Calculator")
///     .name("The calculator & friends")
///     .description("Adds numbers.");
/// let html = page.render(&registry, "/RPC2");
/// assert!(html.contains("<h1>The calculator &amp; friends</h1>"));
/// assert!(html.contains("add(int a1, int a2) &#8594; int"));
/// ```
#[derive(Debug, Clone)]
pub struct DocPage {
    title: String,
    name: String,
    description: String,
    try_it: bool,
}

impl Default for DocPage {
    fn default() -> Self {
        DocPage {
            title: "XML-RPC Server Documentation".to_owned(),
            name: "XML-RPC Server Documentation".to_owned(),
            description: "This server exports the following methods through the XML-RPC protocol."
                .to_owned(),
            try_it: true,
        }
    }
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}\
h1{font-size:1.6rem}h2{font-size:1.15rem;margin:0}code,pre,input,textarea{font-family:ui-monospace,monospace;font-size:.9rem}\
section.method{border-top:1px solid #ddd;padding:1rem 0}.sig{color:#555}.help{white-space:pre-wrap;margin:.5rem 0}\
nav ul{columns:2;padding-left:1.2rem}form{background:#f6f6f6;padding:.6rem;border-radius:4px}\
label{display:block;margin:.2rem 0}pre.result{background:#fff;border:1px solid #ddd;padding:.5rem;overflow:auto;min-height:1rem}";

/// Builds a call from the form's fields by their declared types and shows the response.
const SCRIPT: &str = r#"
function xmlEsc(s){return String(s).replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;');}
function fromJson(v){
  if(v===null)return '<value><nil/></value>';
  if(Array.isArray(v))return '<value><array><data>'+v.map(fromJson).join('')+'</data></array></value>';
  if(typeof v==='object'){let m='';for(const k in v){m+='<member><name>'+xmlEsc(k)+'</name>'+fromJson(v[k])+'</member>';}return '<value><struct>'+m+'</struct></value>';}
  if(typeof v==='boolean')return '<value><boolean>'+(v?1:0)+'</boolean></value>';
  if(typeof v==='number')return Number.isInteger(v)&&Math.abs(v)<2147483648?'<value><int>'+v+'</int></value>':'<value><double>'+v+'</double></value>';
  return '<value><string>'+xmlEsc(v)+'</string></value>';
}
function toValue(type,text){
  switch(type){
    case 'int':case 'i8':return '<value><'+type+'>'+xmlEsc(text.trim())+'</'+type+'></value>';
    case 'double':return '<value><double>'+xmlEsc(text.trim())+'</double></value>';
    case 'boolean':return '<value><boolean>'+(/^(1|true|yes|on)$/i.test(text.trim())?1:0)+'</boolean></value>';
    case 'dateTime.iso8601':return '<value><dateTime.iso8601>'+xmlEsc(text.trim())+'</dateTime.iso8601></value>';
    case 'base64':return '<value><base64>'+btoa(unescape(encodeURIComponent(text)))+'</base64></value>';
    case 'nil':return '<value><nil/></value>';
    case 'string':return '<value><string>'+xmlEsc(text)+'</string></value>';
    default:return fromJson(JSON.parse(text));
  }
}
async function tryIt(form){
  const out=form.querySelector('pre.result');
  try{
    let params='';
    for(const input of form.querySelectorAll('[data-type]')){
      if(input.value===''&&input.dataset.optional==='1')continue;
      params+='<param>'+toValue(input.dataset.type,input.value)+'</param>';
    }
    const body='<?xml version="1.0"?><methodCall><methodName>'+xmlEsc(form.dataset.method)+'</methodName><params>'+params+'</params></methodCall>';
    const r=await fetch(form.dataset.endpoint,{method:'POST',headers:{'Content-Type':'text/xml'},body});
    out.textContent='HTTP '+r.status+'\n'+await r.text();
  }catch(e){out.textContent='error: '+e;}
  return false;
}
"#;

impl DocPage {
    /// A page with Python's default title, name and description.
    pub fn new() -> Self {
        DocPage::default()
    }

    /// The title of the HTML page (Python's `set_server_title`).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// The heading of the page (Python's `set_server_name`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The text under the heading (Python's `set_server_documentation`).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// Whether each method gets a form to try it from the browser (on by default). The
    /// form needs JavaScript; the rest of the page does not.
    pub fn try_it(mut self, on: bool) -> Self {
        self.try_it = on;
        self
    }

    /// The page for `registry`, whose calls are posted to `endpoint`.
    pub fn render(&self, registry: &Registry, endpoint: &str) -> String {
        let methods = registry.methods();
        let mut html = String::with_capacity(4096 + methods.len() * 1024);
        let _ = write!(
            html,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{}</title><style>{STYLE}</style></head><body>\n<h1>{}</h1>\n<p class=\"description\">{}</p>\n",
            esc(&self.title),
            esc(&self.name),
            esc(&self.description).replace('\n', "<br>")
        );
        html.push_str("<nav><h2>Methods</h2><ul>\n");
        for m in &methods {
            let _ = writeln!(html, "<li><a href=\"#{0}\">{0}</a></li>", esc(&m.name));
        }
        html.push_str("</ul></nav>\n");
        for m in &methods {
            self.method(&mut html, m, endpoint);
        }
        if self.try_it {
            let _ = write!(html, "<script>{SCRIPT}</script>");
        }
        html.push_str("</body></html>\n");
        html
    }

    fn method(&self, html: &mut String, m: &MethodInfo, endpoint: &str) {
        let name = esc(&m.name);
        let _ = write!(
            html,
            "<section class=\"method\" id=\"{name}\"><h2><code>{name}</code></h2>"
        );
        if m.signatures.is_empty() {
            let _ = write!(html, "<p class=\"sig\"><code>{name}(...)</code></p>");
        }
        for sig in &m.signatures {
            let (ret, params) = sig
                .split_first()
                .map_or(("", &[][..]), |(r, p)| (r.as_ref(), p));
            let args: Vec<String> = params
                .iter()
                .enumerate()
                .map(|(i, ty)| {
                    let pname = m
                        .params
                        .get(i)
                        .map_or_else(|| format!("a{}", i + 1), |p| p.to_string());
                    let pname = if pname.starts_with("arg") {
                        format!("a{}", i + 1)
                    } else {
                        pname
                    };
                    format!("{} {}", esc(ty), esc(&pname))
                })
                .collect();
            let _ = write!(
                html,
                "<p class=\"sig\"><code>{name}({}) &#8594; {}</code></p>",
                args.join(", "),
                esc(ret)
            );
        }
        if !m.help.is_empty() {
            let _ = write!(html, "<div class=\"help\">{}</div>", esc(&m.help));
        }
        if self.try_it {
            let longest = m.signatures.iter().max_by_key(|s| s.len());
            let shortest = m.signatures.iter().map(Vec::len).min().unwrap_or(1);
            let _ = write!(
                html,
                "<form class=\"try\" data-method=\"{name}\" data-endpoint=\"{}\" onsubmit=\"return tryIt(this),false\">",
                esc(endpoint)
            );
            if let Some(sig) = longest {
                for (i, ty) in sig.iter().skip(1).enumerate() {
                    let optional = i + 2 > shortest;
                    let pname = m
                        .params
                        .get(i)
                        .map_or_else(|| format!("a{}", i + 1), |p| p.to_string());
                    let hint = match ty.as_ref() {
                        "struct" | "array" | "any" => " (JSON)",
                        _ => "",
                    };
                    let _ = write!(
                        html,
                        "<label>{} <code>{}</code>{hint}{} <input name=\"{}\" data-type=\"{}\" data-optional=\"{}\"></label>",
                        esc(&pname),
                        esc(ty),
                        if optional { ", optional" } else { "" },
                        esc(&pname),
                        esc(ty),
                        u8::from(optional)
                    );
                }
            }
            html.push_str(
                "<button type=\"submit\">Call</button><pre class=\"result\"></pre></form>",
            );
        }
        html.push_str("</section>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_from_the_registry() {
        let registry = Registry::new().function("a<b>", |s: String| s);
        let html = DocPage::new()
            .name("<script>x</script>")
            .render(&registry, "/\"x");
        assert!(!html.contains("<script>x"));
        assert!(html.contains("&lt;script&gt;x"));
        assert!(html.contains("id=\"a&lt;b&gt;\""));
        assert!(html.contains("data-endpoint=\"/&quot;x\""));
        let plain = DocPage::new().try_it(false).render(&registry, "/");
        assert!(!plain.contains("<form") && !plain.contains("<script"));
    }
}
