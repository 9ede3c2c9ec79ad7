//! quick-xml 0.42 as the oracle of the codec's tokenizer: both read the same text, and
//! [`compare`] says whether they agree, and when they do not, which entry of the list of
//! known disagreements (the `xml` module's documentation) explains it.
//!
//! Shared by the proptest (`tests/tokenizer_oracle.rs`) and the fuzz target
//! (`fuzz/fuzz_targets/differential.rs`), which include this file by path. Documents are
//! made by [`render`] from `Value`s and then damaged by [`mutate`].

#![allow(dead_code)]

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use xmlrpc::__private::{Token, tokenize};
use xmlrpc::{Dialect, Serializer, Value};

/// The disagreements the codec's documentation lists, each a way in which it is stricter
/// than quick-xml, which leaves these checks to its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Known {
    /// A DOCTYPE: always refused, so that no entity is ever declared or expanded.
    Doctype,
    /// A character XML 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF), raw or
    /// as a character reference.
    ForbiddenChar,
    /// Not exactly one complete root element with nothing but whitespace, comments and
    /// processing instructions around it: text or CDATA outside it, a second root, no root
    /// at all, elements still open at the end.
    NotOneRoot,
    /// An XML declaration after the start of the document.
    LateDeclaration,
    /// An element, attribute or processing-instruction target name that is not an XML
    /// `Name` (or a processing instruction named `xml` in another spelling, which is
    /// reserved).
    BadName,
    /// Attributes that XML's grammar refuses and quick-xml's attribute parser reads: a raw
    /// `<` in a value, no whitespace between two attributes.
    AttributeSyntax,
}

impl Known {
    /// Every entry, in the order the documentation gives them.
    pub(crate) const ALL: [Known; 6] = [
        Known::Doctype,
        Known::ForbiddenChar,
        Known::NotOneRoot,
        Known::LateDeclaration,
        Known::BadName,
        Known::AttributeSyntax,
    ];
}

/// What quick-xml saw beyond the events: the facts the known disagreements are about.
#[derive(Debug, Default, Clone)]
pub(crate) struct Facts {
    /// The entries of [`Known`] whose condition the document meets.
    pub(crate) known: Vec<Known>,
}

impl Facts {
    fn note(&mut self, k: Known) {
        if !self.known.contains(&k) {
            self.known.push(k);
        }
    }
}

/// What the two readers made of a document.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Both read it, to the same events.
    BothAccept,
    /// Both refused it.
    BothRefuse,
    /// Only one read it, for one of the listed reasons.
    Known(Known),
}

/// Whether `c` is a character XML 1.0 allows.
pub(crate) fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// XML 1.0's `Name` production (fifth edition), written from the specification.
pub(crate) fn is_xml_name(s: &str) -> bool {
    fn start(c: char) -> bool {
        matches!(c, ':' | 'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
            | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
            | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
            | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
            | '\u{10000}'..='\u{EFFFF}')
    }
    fn rest(c: char) -> bool {
        start(c)
            || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
    }
    let mut chars = s.chars();
    chars.next().is_some_and(start) && chars.all(rest)
}

/// Whether every quoted value in the raw attributes of a tag is followed by whitespace
/// or the end.
fn spaced_attributes(raw: &str) -> bool {
    let mut quote = None;
    let mut closed = false;
    for c in raw.chars() {
        if closed && !matches!(c, ' ' | '\t' | '\n' | '\r' | '/') {
            return false;
        }
        closed = false;
        match quote {
            Some(q) if c == q => {
                quote = None;
                closed = true;
            }
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {}
        }
    }
    true
}

/// quick-xml's reading of `src`: the events the tokenizer reports too (start tags, end
/// tags, the text between tags with references resolved), or its error; and the facts.
///
/// quick-xml runs with its checks on: end names must match (its default), comments may
/// not hold `--`, attributes are parsed with duplicate checks and their values resolved,
/// and general references are resolved the only way XML without a DTD allows (the five
/// predefined entities and character references).
pub(crate) fn quick_xml_tokens(src: &str) -> (Result<Vec<Token>, String>, Facts) {
    let mut facts = Facts::default();
    if src.chars().any(|c| !xml_char(c)) {
        facts.note(Known::ForbiddenChar);
    }
    let result = read(src, &mut facts);
    (result, facts)
}

fn read(src: &str, facts: &mut Facts) -> Result<Vec<Token>, String> {
    let mut reader = quick_xml::Reader::from_str(src);
    let config = reader.config_mut();
    config.check_comments = true;
    config.expand_empty_elements = true;
    let mut out = Vec::new();
    let mut text = String::new();
    let mut depth = 0usize;
    let mut roots = 0usize;
    let mut first = true;
    let flush = |text: &mut String, out: &mut Vec<Token>| {
        if !text.is_empty() {
            out.push(Token::Text(std::mem::take(text)));
        }
    };
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        let was_first = std::mem::replace(&mut first, false);
        match event {
            Event::Start(e) => {
                if depth == 0 {
                    roots += 1;
                }
                flush(&mut text, &mut out);
                let name = e.name().as_ref().to_owned();
                if !is_xml_name(&name) {
                    facts.note(Known::BadName);
                }
                if !spaced_attributes(e.attributes_raw()) {
                    facts.note(Known::AttributeSyntax);
                }
                for attr in e.attributes() {
                    let attr = attr.map_err(|e| e.to_string())?;
                    if !is_xml_name(attr.key.as_ref()) {
                        facts.note(Known::BadName);
                    }
                    if attr.value.contains('<') {
                        facts.note(Known::AttributeSyntax);
                    }
                    let value = attr
                        .normalized_value(XmlVersion::Implicit1_0)
                        .map_err(|e| e.to_string())?;
                    if value.chars().any(|c| !xml_char(c)) {
                        facts.note(Known::ForbiddenChar);
                    }
                }
                out.push(Token::Start(name));
                depth += 1;
            }
            Event::End(e) => {
                flush(&mut text, &mut out);
                let name = e.name().as_ref().to_owned();
                if !is_xml_name(&name) {
                    facts.note(Known::BadName);
                }
                out.push(Token::End(name));
                depth = depth.saturating_sub(1);
            }
            Event::Empty(_) => unreachable!("empty elements are expanded"),
            Event::Text(t) => {
                let content = t.xml10_content();
                if depth == 0 {
                    if !content
                        .chars()
                        .all(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
                    {
                        facts.note(Known::NotOneRoot);
                    }
                } else {
                    text.push_str(&content);
                }
            }
            Event::CData(c) => {
                if depth == 0 {
                    facts.note(Known::NotOneRoot);
                } else {
                    text.push_str(&c.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => {
                        if !xml_char(c) {
                            facts.note(Known::ForbiddenChar);
                        }
                        c.to_string()
                    }
                    None => match quick_xml::escape::resolve_predefined_entity(&r) {
                        Some(s) => s.to_owned(),
                        None => return Err(format!("unknown entity `&{};`", &*r)),
                    },
                };
                if depth == 0 {
                    facts.note(Known::NotOneRoot);
                } else {
                    text.push_str(&resolved);
                }
            }
            Event::Decl(_) => {
                if !was_first {
                    facts.note(Known::LateDeclaration);
                }
            }
            Event::DocType(_) => facts.note(Known::Doctype),
            Event::PI(pi) => {
                let target = pi.target();
                if !is_xml_name(target) || target.eq_ignore_ascii_case("xml") {
                    facts.note(Known::BadName);
                }
            }
            Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if roots != 1 || depth != 0 {
        facts.note(Known::NotOneRoot);
    }
    Ok(out)
}

/// Reads `src` with both and compares.
///
/// # Panics
///
/// When both read it to different events, and when only one reads it for no reason on
/// the list: the disagreements the tests exist to find. Also when the codec's own
/// XML-RPC reader accepts a document that its tokenizer refuses.
pub(crate) fn compare(src: &str) -> Outcome {
    let ours = tokenize(src);
    let (theirs, facts) = quick_xml_tokens(src);
    if ours.is_err() {
        for accepted in [
            xmlrpc::from_str::<Value>(src).is_ok(),
            xmlrpc::response_from_str::<Value>(src).is_ok(),
            xmlrpc::call_from_str::<Vec<Value>>(src).is_ok(),
        ] {
            assert!(
                !accepted,
                "the XML-RPC reader accepts what its tokenizer refuses ({:?}):\n{src:?}",
                ours
            );
        }
    }
    match (ours, theirs) {
        (Ok(a), Ok(b)) => {
            assert_eq!(
                a, b,
                "the tokenizer and quick-xml read different events from\n{src:?}"
            );
            Outcome::BothAccept
        }
        (Err(_), Err(_)) => Outcome::BothRefuse,
        (Err(ours), Ok(_)) => match Known::ALL.iter().find(|k| facts.known.contains(k)) {
            Some(&k) => Outcome::Known(k),
            None => panic!(
                "the tokenizer refuses what quick-xml reads, for no listed reason: {ours}\n{src:?}"
            ),
        },
        (Ok(_), Err(theirs)) => panic!(
            "quick-xml refuses what the tokenizer reads ({theirs}), for no listed reason:\n{src:?}"
        ),
    }
}

/// How a `Value` is laid out as a document, before any damage.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Layout {
    /// 0: a bare `<value>`, 1: a `methodResponse`, 2: a `methodCall`, 3: a fault.
    pub(crate) kind: u8,
    /// The Apache dialect (`ex:` prefixes, an `xmlns:ex` attribute on the root).
    pub(crate) apache: bool,
    /// Python's layout: a line end between tags.
    pub(crate) lines: bool,
    /// `\r\n` line ends rather than `\n`.
    pub(crate) crlf: bool,
    /// Comments and processing instructions inside values.
    pub(crate) comments: bool,
    /// Markup characters in CDATA sections and references rather than entities.
    pub(crate) cdata: bool,
    /// Characters beyond ASCII written as character references.
    pub(crate) refs: bool,
    /// 0: no XML declaration, 1: `<?xml version="1.0"?>`, 2: with an encoding, in single
    /// quotes, 3: with a byte-order mark before it.
    pub(crate) decl: u8,
    /// Whitespace and attributes where XML allows them: `</value >`, `<struct a="1">`.
    pub(crate) spaces: bool,
}

/// Writes `v` as a document in `layout`; `None` when the writer refuses the value.
pub(crate) fn render(v: &Value, layout: Layout) -> Option<String> {
    let dialect = if layout.apache {
        Dialect::apache()
    } else {
        Dialect::new()
    };
    let mut ser = Serializer::with_dialect(Vec::new(), dialect);
    match layout.kind % 4 {
        0 => serde::Serialize::serialize(v, &mut ser).ok()?,
        1 => ser.response(v).ok()?,
        2 => ser.call("some.method", std::slice::from_ref(v)).ok()?,
        _ => ser.fault(&xmlrpc::Fault::new(4, v.to_string())).ok()?,
    }
    let mut doc = String::from_utf8(ser.into_inner()).ok()?;
    if layout.kind % 4 != 0 {
        // The writer's own declaration: replaced below.
        doc = doc.replacen("<?xml version=\"1.0\"?>", "", 1);
    }
    if layout.cdata {
        doc = doc
            .replace("&lt;", "<![CDATA[<]]>")
            .replace("&amp;", "&#x26;")
            .replace("&gt;", "&#62;");
    }
    if layout.refs {
        doc = doc
            .chars()
            .map(|c| {
                if c.is_ascii() {
                    c.to_string()
                } else {
                    format!("&#{};", u32::from(c))
                }
            })
            .collect();
    }
    if layout.comments {
        doc = doc
            .replace("<value>", "<value><!-- a value -->")
            .replace("</name>", "<?pi data?></name>");
    }
    if layout.spaces {
        doc = doc
            .replace("</value>", "</value >")
            .replace("<struct>", "<struct a=\"1\" b='&amp;'>")
            .replace("<data/>", "<data />");
    }
    if layout.lines {
        let end = if layout.crlf { "\r\n" } else { "\n" };
        doc = doc.replace("><", &format!(">{end}<"));
        doc.push_str(end);
    }
    let decl = match layout.decl % 4 {
        0 => "",
        1 => "<?xml version=\"1.0\"?>",
        2 => "<?xml version='1.0' encoding='UTF-8'?>\n",
        _ => "\u{feff}<?xml version=\"1.0\"?>",
    };
    Some(format!("{decl}{doc}"))
}

/// Bytes that the mutations insert: XML's markup, and characters near its rules.
pub(crate) const INTERESTING: &[&str] = &[
    "<",
    ">",
    "&",
    "/",
    "\"",
    "'",
    "!",
    "?",
    "-",
    "]",
    ";",
    "#",
    "x",
    ":",
    "=",
    " ",
    "\r",
    "\n",
    "\t",
    "\u{1}",
    "\u{7f}",
    "\u{fffe}",
    "é",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<?",
    "?>",
    "<!DOCTYPE x>",
    "&amp;",
    "&#",
    "&#1;",
    "&#x41;",
    "<a>",
    "</a>",
    "<a/>",
    "<?xml version=\"1.0\"?>",
    "xmlns:ex=\"x\"",
    "a=\"1\"",
    "--",
    "1",
    "0",
];

/// One change to a document; positions are fractions of its length in 1/65536.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Mutation {
    /// Replaces the byte there with `byte`.
    Set { at: u16, byte: u8 },
    /// Removes up to `len` bytes.
    Delete { at: u16, len: u8 },
    /// Inserts one of [`INTERESTING`].
    Insert { at: u16, what: u8 },
    /// Repeats up to `len` bytes once.
    Duplicate { at: u16, len: u8 },
    /// Cuts the document there.
    Truncate { at: u16 },
}

fn place(at: u16, len: usize) -> usize {
    (usize::from(at) * (len + 1)) >> 16
}

/// Applies `m` to `doc`, keeping it UTF-8 (a change that would break a character is
/// moved to the character's start).
pub(crate) fn mutate(doc: &mut String, m: Mutation) {
    let floor = |doc: &String, mut i: usize| {
        i = i.min(doc.len());
        while !doc.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    match m {
        Mutation::Set { at, byte } => {
            let i = floor(doc, place(at, doc.len()));
            if i < doc.len() {
                let c = doc[i..].chars().next().map_or(1, char::len_utf8);
                doc.replace_range(i..i + c, &char::from(byte & 0x7f).to_string());
            }
        }
        Mutation::Delete { at, len } => {
            let i = floor(doc, place(at, doc.len()));
            let j = floor(doc, i + usize::from(len % 16) + 1);
            doc.replace_range(i..j, "");
        }
        Mutation::Insert { at, what } => {
            let i = floor(doc, place(at, doc.len()));
            doc.insert_str(i, INTERESTING[usize::from(what) % INTERESTING.len()]);
        }
        Mutation::Duplicate { at, len } => {
            let i = floor(doc, place(at, doc.len()));
            let j = floor(doc, i + usize::from(len % 32) + 1);
            let piece = doc[i..j].to_owned();
            doc.insert_str(j, &piece);
        }
        Mutation::Truncate { at } => {
            let i = floor(doc, place(at, doc.len()));
            doc.truncate(i);
        }
    }
}
