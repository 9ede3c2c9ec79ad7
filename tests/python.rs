//! Running CPython's `xmlrpc.client` as a peer: a script on the command line, data on stdin.

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `python3 -I -c script` (isolated: no user site, no `PYTHON*` variables) with
/// `stdin` as its standard input and returns its standard output. Scripts should print ASCII
/// only (hex, `ascii()`), which every locale's encoding agrees on.
///
/// # Panics
///
/// When `python3` cannot be started (the interoperability tests need it: they fail rather
/// than skip), or when the script exits with an error, showing its standard error.
pub fn run(script: &str, stdin: &[u8]) -> String {
    let mut child = Command::new("python3")
        .arg("-I")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "python3 is required by the interoperability tests and could not be started: {e}; \
                 install CPython 3 and put `python3` on the PATH"
            )
        });
    {
        let mut input = child.stdin.take().expect("the child's stdin is piped");
        input.write_all(stdin).expect("writing the script's input");
    }
    let out = child.wait_with_output().expect("waiting for python3");
    let stdout = String::from_utf8(out.stdout).expect("python3 printed UTF-8");
    assert!(
        out.status.success(),
        "python3 failed ({}):\n--- stderr ---\n{}\n--- stdout ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        stdout
    );
    stdout
}

/// Lowercase hexadecimal, the transport for bytes between the tests and Python.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// Decodes [`hex`].
///
/// # Panics
///
/// On anything that is not an even number of hexadecimal digits.
pub fn unhex(text: &str) -> Vec<u8> {
    let text = text.trim();
    assert!(text.len() % 2 == 0, "odd hex length: {text:?}");
    let digit = |c: u8| match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => panic!("not a hex digit: {:?}", char::from(c)),
    };
    text.as_bytes()
        .chunks(2)
        .map(|pair| (digit(pair[0]) << 4) | digit(pair[1]))
        .collect()
}
