//! Truncation: every proper prefix of rich documents (a call, a response, a fault, a value)
//! is refused as not well formed, or as invalid UTF-8 where the cut splits a character.

use super::*;

/// A call of about 2 KB with every type, entities, CDATA, comments, processing
/// instructions, attributes and non-ASCII text. No trailing newline: every proper prefix
/// is incomplete.
fn rich_call() -> String {
    let mut params = vec![
        "<value><i4>-41</i4></value>".to_owned(),
        "<value><int> 2147483647 </int></value>".to_owned(),
        "<value><ex:i8>5000000000</ex:i8></value>".to_owned(),
        "<value><boolean>1</boolean></value>".to_owned(),
        "<value>untyped &amp; plain</value>".to_owned(),
        "<value><string>caf\u{e9} \u{1f600} &lt;&gt;&quot;&apos;&#233;&#x1F600;&#13;</string></value>".to_owned(),
        "<value><string><![CDATA[<not a tag> & ]]>after<!-- c -->end<?pi x?></string></value>".to_owned(),
        "<value><double>-12.5e3</double></value>".to_owned(),
        "<value><dateTime.iso8601>19980717T14:08:55</dateTime.iso8601></value>".to_owned(),
        "<value><base64>\n  aGVsbG8gd29y\n  bGQ=\n</base64></value>".to_owned(),
        "<value><nil/></value>".to_owned(),
        "<value><array><data/></array></value>".to_owned(),
        "<value><struct/></value>".to_owned(),
        "<value/>".to_owned(),
    ];
    let mut nested = String::from("<value><struct>");
    for i in 0..6 {
        nested.push_str(&format!(
            "\n <member>\n  <name>m\u{e9}mber{i}</name>\n  <value><array><data><value><i4>{i}</i4></value><value><struct><member><name>inner</name><value><double>{i}.25</double></value></member></struct></value></data></array></value>\n </member>"
        ));
    }
    nested.push_str("\n</struct></value>");
    params.push(nested);
    let refs: Vec<&str> = params.iter().map(String::as_str).collect();
    let doc = call_doc(&refs).replace(
        "<methodCall>",
        "<!-- leading comment -->\n<?app instruction?>\n<methodCall xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\" a='1'>",
    );
    doc.replace(
        "<?xml version=\"1.0\"?>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
    )
}

/// What a cut document is told, each a reason why XML stopping there is not well formed;
/// the message starts with one of them.
const CUT_SHORT: [&str; 15] = [
    "unexpected end of input",
    "malformed end tag",
    "a tag without a name",
    "unterminated processing instruction",
    "unterminated attribute value",
    "`&` that does not start a reference",
    "unterminated comment",
    "unterminated CDATA section",
    "unexpected `<!`",
    "malformed processing instruction",
    "expected `=` after an attribute name",
    "expected `>` after `/` in a tag",
    "a processing instruction without a target name",
    "`--` inside a comment",
    "expected a quoted attribute value",
];

/// Checks every proper prefix of `doc` with `decode`: each is a syntax error saying why the
/// XML is cut short, or invalid UTF-8 when cut inside a character.
fn every_prefix_fails(what: &str, doc: String, decode: Decode) {
    decode(doc.as_bytes()).unwrap_or_else(|e| panic!("{what}: the whole document fails: {e}"));
    let what = what.to_owned();
    guarded(&what.clone(), move || {
        for len in 0..doc.len() {
            let prefix = &doc.as_bytes()[..len];
            let err = match decode(prefix) {
                Ok(()) => panic!("{what}: the prefix of {len} bytes was accepted"),
                Err(e) => e,
            };
            let case = format!("{what}, prefix of {len} bytes");
            if !doc.is_char_boundary(len) {
                check(&case, &err, INVALID_CHARACTER, "invalid UTF-8");
                continue;
            }
            assert!(
                matches!(err.kind(), ErrorKind::Syntax(_)),
                "{case}: {err:?}"
            );
            let msg = err.to_string();
            let needle = CUT_SHORT
                .into_iter()
                .find(|reason| msg.starts_with(reason))
                .unwrap_or_else(|| panic!("{case}: {msg:?} says no reason it is cut short"));
            check(&case, &err, PARSE_ERROR, needle);
        }
    });
}

fn as_ignored_params(b: &[u8]) -> xmlrpc::Result<()> {
    CallReader::from_slice(b)?
        .params::<Vec<IgnoredAny>>()
        .map(drop)
}

fn one_by_one(b: &[u8]) -> xmlrpc::Result<()> {
    let mut call = CallReader::from_slice(b)?;
    while call.next_param::<Value>()?.is_some() {}
    call.finish()
}

#[test]
fn the_rich_call_is_about_2_kb() {
    let doc = rich_call();
    assert!((1800..4000).contains(&doc.len()), "{} bytes", doc.len());
}

#[test]
fn every_prefix_of_a_call_fails_as_values() {
    every_prefix_fails("call as Vec<Value>", rich_call(), as_call);
}

#[test]
fn every_prefix_of_a_call_fails_as_ignored_params() {
    every_prefix_fails("call as IgnoredAny params", rich_call(), as_ignored_params);
}

#[test]
fn every_prefix_of_a_call_fails_read_one_by_one() {
    every_prefix_fails("call one by one", rich_call(), one_by_one);
}

/// A response with the rich call's nested struct, a list of 20 strings added to it.
fn rich_response() -> String {
    let call = rich_call();
    let start = call.find("<value><struct>\n").expect("the nested struct");
    let end = call.rfind("</param>").expect("its end");
    let value = &call[start..end];
    let doc = format!(
        "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>{}</param>\n</params>\n<!-- done -->\n</methodResponse>",
        value.replace("<struct>\n", &format!("<struct><member><name>list</name><value><array><data>{}</data></array></value></member>", "<value><string>x\u{e9}y</string></value>".repeat(20)))
    );
    assert!(doc.len() > 1500, "{} bytes", doc.len());
    doc
}

#[test]
fn every_prefix_of_a_response_fails_as_a_value() {
    every_prefix_fails("response as Value", rich_response(), as_response);
}

#[test]
fn every_prefix_of_a_response_fails_as_ignored_any() {
    every_prefix_fails("response as IgnoredAny", rich_response(), |b| {
        xmlrpc::response_from_slice::<IgnoredAny>(b).map(drop)
    });
}

#[test]
fn every_prefix_of_a_fault_fails() {
    let fault = xmlrpc::fault_to_string(&Fault::new(4, "Too many <parameters> \u{e9}")).unwrap();
    every_prefix_fails("fault as Value", fault, as_response);
}

#[test]
fn every_prefix_of_a_value_fails() {
    let value =
        xmlrpc::to_string(&Value::from(vec![Value::from("a\u{e9}"), Value::from(1.5)])).unwrap();
    every_prefix_fails("value as Value", value, as_value);
}
