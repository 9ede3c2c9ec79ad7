//! Memory: hostile inputs are refused within a small allocation budget. Each case runs
//! again alone in a child process (so that no other test allocates while the allocator is
//! capped); past the cap the allocator fails and the child aborts.

use std::io::Read;

use super::*;

/// What each memory case may allocate beyond what is already allocated, input included.
const MEMORY_BUDGET: usize = 256 << 10;

/// Set in the child process to the name of the one test it runs.
const CHILD: &str = "XMLRPC_HOSTILE_MEMORY_CHILD";

/// Runs `decode` on `input` with allocations capped at `budget` more bytes than are
/// allocated now; past the cap the allocator fails and the process aborts.
fn within_memory(what: &str, budget: usize, input: &[u8], decode: Decode) {
    let before = ALLOC.allocated();
    ALLOC
        .set_limit(before + budget)
        .expect("a cap above what is allocated");
    let result = decode(input);
    ALLOC.set_limit(usize::MAX).expect("no cap");
    let err = result.expect_err(what);
    println!(
        "memory: {what}: {} bytes of input, refused within {budget} bytes: {err}",
        input.len()
    );
}

/// In the child process that runs `test` alone, true: run the case. Otherwise runs that
/// child, checks that it ran the case and succeeded, and returns false.
fn in_child(test: &str) -> bool {
    if std::env::var_os(CHILD).is_some_and(|name| name == test) {
        return true;
    }
    let mut child = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, test)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the child");
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        stdout.read_to_string(&mut out).map(|_| out)
    });
    let deadline = std::time::Instant::now() + HANG_BOUND * 3;
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child's status") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("{test}: the memory child did not finish: the decoder hangs");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = reader.join().expect("stdout reader").expect("stdout");
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    assert!(
        status.success(),
        "{test}: the memory child failed ({status}):\n{out}\n{err}"
    );
    let case = test.rsplit("::").next().unwrap_or(test);
    assert!(
        out.contains(&format!("memory: {case}: ")),
        "{test}: the child did not run the case:\n{out}\n{err}"
    );
    false
}

/// One `#[test]` per case: `name(budget): input, decode;`. The input is built before the
/// cap is set.
macro_rules! memory_cases {
    ($($(#[doc = $doc:literal])* $name:ident($budget:expr): $input:expr, $decode:expr;)*) => {
        $(
            $(#[doc = $doc])*
            #[test]
            fn $name() {
                if in_child(concat!("memory::", stringify!($name))) {
                    let input: Vec<u8> = $input;
                    within_memory(stringify!($name), $budget, &input, $decode);
                }
            }
        )*
    };
}

const LEAF: &str = "<value><int>1</int></value>";

memory_cases! {
    deep_arrays(MEMORY_BUDGET):
        nested_arrays(100_000, LEAF).into_bytes(), as_value;
    deep_arrays_in_a_call(MEMORY_BUDGET):
        call_doc(&[&nested_arrays(100_000, LEAF)]).into_bytes(), as_call;
    deep_arrays_ignored(MEMORY_BUDGET):
        nested_arrays(100_000, LEAF).into_bytes(),
        |b| xmlrpc::from_slice::<IgnoredAny>(b).map(drop);
    deep_structs(MEMORY_BUDGET):
        nested_structs(100_000, "m", LEAF).into_bytes(), as_value;
    nested_values_in_an_ignored_member(MEMORY_BUDGET):
        with_ignored_member(&format!("<value><array><data>{}", nested_values(100_000)))
            .into_bytes(),
        as_known;
    nested_elements_in_an_ignored_member(MEMORY_BUDGET):
        with_ignored_member(&format!("<value><array>{}", "<x>".repeat(100_000))).into_bytes(),
        as_known;
    billion_laughs(MEMORY_BUDGET):
        crate::entities::BILLION_LAUGHS.as_bytes().to_vec(), as_call;
    input_of_21_mib(MEMORY_BUDGET):
        {
            let mut huge = b"<value>".to_vec();
            huge.resize(21 << 20, b'a');
            huge
        },
        as_value;
    /// A string over a small limit is refused before it is all copied, even when it needs
    /// unescaping.
    escaped_string_of_8_mib_over_a_64_kib_limit(MEMORY_BUDGET):
        format!("<value>&amp;{}</value>", "a".repeat(8 << 20)).into_bytes(),
        |b| value_with(Limits::default().max_string(64 << 10), b).map(drop);
    /// An endless reader stops at the limit: the buffer is the limit, give or take growth.
    endless_reader_with_a_1_mib_limit(3 << 20):
        Vec::new(),
        |_| {
            Deserializer::from_reader(std::io::repeat(b'a'), Limits::default().max_input(1 << 20))
                .map(drop)
        };
    /// Many small elements cost memory in proportion, within the element limit.
    elements_over_a_limit_of_1000(64 << 10):
        format!(
            "<value><array><data>{}</data></array></value>",
            "<value/>".repeat(1001)
        )
        .into_bytes(),
        |b| {
            let mut de =
                Deserializer::from_slice(b)?.with_limits(Limits::default().max_elements(1000));
            Vec::<IgnoredAny>::deserialize(&mut de).map(drop)
        };
}
