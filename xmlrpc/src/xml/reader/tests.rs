use super::*;

fn tags(src: &str) -> Vec<(TagKind, String)> {
    let mut r = Reader::new(usize::MAX);
    let mut scratch = String::new();
    let mut out = Vec::new();
    r.prolog(src).unwrap();
    while r.pos < src.len() {
        let t = r.next_tag(src).unwrap();
        out.push((t.kind, t.local(src).to_owned()));
        if t.kind == TagKind::Start {
            r.text(src, &mut scratch).unwrap();
        }
        if out.len() > 50 {
            break;
        }
    }
    out
}

#[test]
fn reads_tags_with_attributes_and_prefixes() {
    let got = tags("<?xml version='1.0'?>\n<a x=\"1\" y = '2'><ex:i8/></a >");
    assert_eq!(
        got,
        vec![
            (TagKind::Start, "a".to_owned()),
            (TagKind::Empty, "i8".to_owned()),
            (TagKind::End, "a".to_owned()),
        ]
    );
}

fn text_of(src: &str) -> Result<String> {
    let mut r = Reader::new(usize::MAX);
    let mut scratch = String::new();
    Ok(match r.text(src, &mut scratch)? {
        Text::Range(range) => src[range].to_owned(),
        Text::Scratch => scratch,
    })
}

#[test]
fn decodes_text() {
    assert_eq!(text_of("plain</x>").unwrap(), "plain");
    assert_eq!(
        text_of("a&lt;b&gt;&amp;&apos;&quot;</x>").unwrap(),
        "a<b>&'\""
    );
    assert_eq!(text_of("&#13;&#x41;&#233;</x>").unwrap(), "\rA\u{e9}");
    assert_eq!(text_of("a\r\nb\rc</x>").unwrap(), "a\nb\nc");
    assert_eq!(
        text_of("a<![CDATA[<&>]]>b<!-- c -->d<?pi x?>e</x>").unwrap(),
        "a<&>bde"
    );
}

#[test]
fn finds_the_first_forbidden_character_at_any_place() {
    let naive = |s: &str| {
        s.char_indices()
            .find(|&(_, c)| !crate::xml::writer::is_xml_char(c))
            .map(|(i, _)| i)
    };
    for len in [0, 1, 31, 63, 64, 65, 127, 128, 130, 200] {
        let base: String = "a\tb\nc\rd\u{ff61}e".chars().cycle().take(len).collect();
        assert_eq!(first_forbidden(base.as_bytes()), None, "{len}");
        for bad in ['\u{0}', '\u{1}', '\u{b}', '\u{1f}', '\u{fffe}', '\u{ffff}'] {
            for at in (0..=base.len()).filter(|&i| base.is_char_boundary(i)) {
                let mut s = base.clone();
                s.insert(at, bad);
                assert_eq!(first_forbidden(s.as_bytes()), naive(&s), "{s:?}");
                assert_eq!(first_forbidden(s.as_bytes()), Some(at), "{s:?}");
            }
        }
    }
}

#[test]
fn rejects_bad_text() {
    for bad in [
        "a & b</x>",
        "&foo;</x>",
        "&#0;</x>",
        "&#xD800;</x>",
        "&#x110000;</x>",
        "no end",
        "<!DOCTYPE x></x>",
    ] {
        assert!(text_of(bad).is_err(), "{bad:?}");
    }
}
