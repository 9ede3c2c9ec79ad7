//! [`Fault`], the XML-RPC error answer, and the interoperability fault codes.

use std::fmt;

/// An XML-RPC fault: the error answer of a call, with a code and a message.
///
/// A fault is protocol data, not a Rust failure: a server answers a call with a fault, and a
/// client reads one back. The toolkit's own errors use the codes of the *Specification for
/// Fault Code Interoperability* (20010516), available as constants on this type.
///
/// # Reserved codes
///
/// The range `-32768..=-32000` belongs to the protocol. [`Fault::new`], the constructor for
/// application faults, never produces a code in it: such a code is replaced by
/// [`Fault::APPLICATION_ERROR`] and the original number is kept at the start of the message.
/// The toolkit's own faults come from the named constructors ([`Fault::method_not_found`],
/// [`Fault::invalid_params`], ...), and a fault read from the wire keeps the code the peer sent.
///
/// # Examples
///
/// ```
/// use xmlrpc::Fault;
///
/// let fault = Fault::new(4, "Too many parameters.");
/// assert_eq!((fault.code(), fault.string()), (4, "Too many parameters."));
///
/// // Applications cannot pose as the protocol.
/// let fault = Fault::new(-32601, "no such thing");
/// assert_eq!(fault.code(), Fault::APPLICATION_ERROR);
/// assert_eq!(fault.string(), "[-32601] no such thing");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Fault {
    code: i32,
    string: String,
}

impl Fault {
    /// Parse error: the document is not well-formed XML.
    pub const PARSE_ERROR: i32 = -32700;
    /// Parse error: the document's encoding is not supported.
    pub const UNSUPPORTED_ENCODING: i32 = -32701;
    /// Parse error: a character is invalid for the document's encoding.
    pub const INVALID_CHARACTER: i32 = -32702;
    /// Server error: the document is XML but not a valid XML-RPC request.
    pub const INVALID_REQUEST: i32 = -32600;
    /// Server error: the requested method does not exist.
    pub const METHOD_NOT_FOUND: i32 = -32601;
    /// Server error: the method's parameters are invalid (count, type or value).
    pub const INVALID_PARAMS: i32 = -32602;
    /// Server error: an internal error of the XML-RPC layer, such as a method that panicked.
    pub const INTERNAL_ERROR: i32 = -32603;
    /// Application error: the code an application fault gets when it asked for a reserved one.
    pub const APPLICATION_ERROR: i32 = -32500;
    /// System error, as the interoperability specification names it.
    pub const SYSTEM_ERROR: i32 = -32400;
    /// Transport error, as the interoperability specification names it.
    pub const TRANSPORT_ERROR: i32 = -32300;
    /// A configured limit was exceeded (an implementation-defined server error of this toolkit,
    /// in the `-32099..=-32000` sub-range the specification sets aside for them).
    pub const LIMIT_EXCEEDED: i32 = -32000;

    /// The range of codes that only the protocol may use.
    pub const RESERVED: std::ops::RangeInclusive<i32> = -32768..=-32000;

    /// An application fault with `code` and `string`.
    ///
    /// A code in the reserved range ([`Fault::RESERVED`]) becomes
    /// [`Fault::APPLICATION_ERROR`], with the original code written at the start of the
    /// message, so that an application never sends a protocol fault by accident.
    pub fn new(code: i32, string: impl Into<String>) -> Self {
        let string = string.into();
        if Self::RESERVED.contains(&code) {
            Fault {
                code: Self::APPLICATION_ERROR,
                string: format!("[{code}] {string}"),
            }
        } else {
            Fault { code, string }
        }
    }

    /// A fault with any code, reserved ones included, for the toolkit itself, for peers'
    /// faults read from the wire and for hand-written dispatchers that speak for the protocol.
    pub fn new_unchecked(code: i32, string: impl Into<String>) -> Self {
        Fault {
            code,
            string: string.into(),
        }
    }

    /// [`Fault::METHOD_NOT_FOUND`] for `method`.
    pub fn method_not_found(method: &str) -> Self {
        Self::new_unchecked(
            Self::METHOD_NOT_FOUND,
            format!(
                "method `{}` is not supported",
                crate::excerpt::truncate(method, 128)
            ),
        )
    }

    /// [`Fault::INVALID_PARAMS`] with a message that says what was wrong.
    pub fn invalid_params(string: impl Into<String>) -> Self {
        Self::new_unchecked(Self::INVALID_PARAMS, string)
    }

    /// [`Fault::INTERNAL_ERROR`] with a message.
    pub fn internal_error(string: impl Into<String>) -> Self {
        Self::new_unchecked(Self::INTERNAL_ERROR, string)
    }

    /// The fault code.
    pub fn code(&self) -> i32 {
        self.code
    }

    /// The fault string: what went wrong, in words.
    pub fn string(&self) -> &str {
        &self.string
    }

    /// Takes the fault string out.
    pub fn into_string(self) -> String {
        self.string
    }

    /// Whether the code lies in the range reserved for the protocol.
    pub fn is_reserved(&self) -> bool {
        Self::RESERVED.contains(&self.code)
    }
}

/// A fault that came from application code: a reserved code is moved out of the protocol's
/// range, as [`Fault::new`] does.
pub(crate) fn application_fault(fault: Fault) -> Fault {
    if fault.is_reserved() {
        Fault::new(fault.code, fault.string)
    } else {
        fault
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fault {}: {}", self.code, self.string)
    }
}

impl fmt::Debug for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fault")
            .field("code", &self.code)
            .field("string", &self.string)
            .finish()
    }
}

impl std::error::Error for Fault {}

/// The members of a fault on the wire: `{faultCode: int, faultString: string}`.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct FaultWire<'a> {
    #[serde(rename = "faultCode")]
    pub(crate) code: i32,
    #[serde(rename = "faultString", borrow)]
    pub(crate) string: std::borrow::Cow<'a, str>,
}

impl Fault {
    /// The fault as its wire struct, for writing. `Fault` itself does not implement
    /// `Serialize`, so that a method returning `Result<T, Fault>` is never mistaken for one
    /// returning a serializable value.
    pub(crate) fn wire(&self) -> FaultWire<'_> {
        FaultWire {
            code: self.code,
            string: std::borrow::Cow::Borrowed(&self.string),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Fault {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = FaultWire::deserialize(deserializer)?;
        Ok(Fault::new_unchecked(wire.code, wire.string.into_owned()))
    }
}
