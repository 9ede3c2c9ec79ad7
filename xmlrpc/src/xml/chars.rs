//! What XML 1.0 says characters are: the characters of a name, the characters a document
//! may not hold, white space, and line ends.
//!
//! The tokenizer asks these on every tag and every text, so each is a table lookup or a
//! loop the compiler vectorizes, with the full Unicode ranges only beyond ASCII.

/// What each byte is in a name: 0 not part of one, [`NAME_CHAR`] only after the first
/// character (digits, `.`, `-`), [`NAME_START`] anywhere (letters, `_`, `:`), and
/// [`NAME_WIDE`] for the bytes of characters beyond ASCII, which are checked one by one.
/// Bit 0 is set for every ASCII name character.
static NAME: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = if b >= 0x80 {
            NAME_WIDE
        } else if (b >= b'a' as usize && b <= b'z' as usize)
            || (b >= b'A' as usize && b <= b'Z' as usize)
            || b == b'_' as usize
            || b == b':' as usize
        {
            NAME_START
        } else if (b >= b'0' as usize && b <= b'9' as usize)
            || b == b'.' as usize
            || b == b'-' as usize
        {
            NAME_CHAR
        } else {
            0
        };
        b += 1;
    }
    t
};

const NAME_CHAR: u8 = 1;
const NAME_START: u8 = 3;
const NAME_WIDE: u8 = 4;

/// XML's `NameStartChar`, beyond ASCII.
fn is_wide_name_start(c: char) -> bool {
    matches!(c,
        '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}'
        | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}'
        | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}'
        | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// XML's `NameChar`, beyond ASCII.
fn is_wide_name_char(c: char) -> bool {
    is_wide_name_start(c) || matches!(c, '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// The end of the XML name that starts at `i` (XML's `Name` production), and where its
/// local part starts (after the last `:`); `None` when no name starts there.
#[inline(always)]
pub(crate) fn scan_name(src: &str, i: usize) -> Option<(usize, usize)> {
    let b = src.as_bytes();
    let first = *b.get(i)?;
    let mut local = i;
    let mut i = match NAME[first as usize] {
        NAME_START => {
            if first == b':' {
                local = i + 1;
            }
            i + 1
        }
        NAME_WIDE => {
            let ch = src[i..].chars().next()?;
            if !is_wide_name_start(ch) {
                return None;
            }
            i + ch.len_utf8()
        }
        _ => return None,
    };
    while let Some(&c) = b.get(i) {
        let class = NAME[c as usize];
        if class & 1 != 0 {
            if c == b':' {
                local = i + 1;
            }
            i += 1;
        } else if class == NAME_WIDE {
            match src[i..].chars().next() {
                Some(ch) if is_wide_name_char(ch) => i += ch.len_utf8(),
                _ => break,
            }
        } else {
            break;
        }
    }
    Some((i, local))
}

/// Where the first character XML 1.0 forbids is in `b` (a C0 control other than tab, line
/// feed and carriage return, U+FFFE or U+FFFF), if there is one.
///
/// Checks 64 bytes at a time with branch-free comparisons the compiler vectorizes, and
/// looks closer only at the chunks that hold such a control byte or the lead byte of U+FFFE.
pub(crate) fn first_forbidden(b: &[u8]) -> Option<usize> {
    const CHUNK: usize = 64;
    let mut chunks = b.chunks_exact(CHUNK);
    for (n, chunk) in chunks.by_ref().enumerate() {
        if suspect(chunk) {
            if let Some(at) = scan_forbidden(b, n * CHUNK, (n + 1) * CHUNK) {
                return Some(at);
            }
        }
    }
    let rest = chunks.remainder();
    if suspect(rest) {
        return scan_forbidden(b, b.len() - rest.len(), b.len());
    }
    None
}

/// Whether `bytes` hold a control byte other than tab, line feed and carriage return, or
/// 0xEF (the lead byte of U+FFFE and U+FFFF).
#[inline(always)]
fn suspect(bytes: &[u8]) -> bool {
    let mut suspect = 0u8;
    for &c in bytes {
        // Below 0x20 but not tab (9), line feed (10) or carriage return (13; 9 | 4 is 13
        // too), or 0xEF.
        let control = (c < 0x20) & ((c | 4) != 13) & (c != b'\n');
        suspect |= u8::from(control | (c == 0xEF));
    }
    suspect != 0
}

fn scan_forbidden(b: &[u8], from: usize, to: usize) -> Option<usize> {
    (from..to).find(|&p| {
        let c = b[p];
        (c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r'))
            || (c == 0xEF
                && b.get(p + 1) == Some(&0xBF)
                && matches!(b.get(p + 2), Some(0xBE | 0xBF)))
    })
}

/// Appends `text` with its line ends normalized to `\n`, as XML requires everywhere.
pub(crate) fn push_normalized(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(i) = memchr::memchr(b'\r', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        if let Some(after) = rest.strip_prefix('\n') {
            rest = after;
        }
    }
    out.push_str(rest);
}

#[inline]
pub(crate) fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}
