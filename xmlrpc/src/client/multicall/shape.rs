//! How a server shapes the results of `system.multicall`.

/// How a server shapes the results in its answer to `system.multicall`.
///
/// The standard shape (Python's, xmlrpc-c's and rTorrent's, this toolkit's server's) wraps
/// each value in a one-element array and gives a fault as a `{faultCode, faultString}`
/// struct: `[[3], {faultCode: 1, ...}]`. supervisord gives each value unwrapped:
/// `[{statecode: 1, ...}, 18351, {faultCode: 1, ...}]`. Reading one shape as the other
/// fails with [`CallError::Decode`](crate::CallError::Decode), whose message names this setting.
///
/// ```
/// # #[cfg(feature = "client")] {
/// use xmlrpc::client::{Client, MulticallShape};
///
/// let supervisor = Client::builder("http+unix://%2Frun%2Fsupervisor.sock/RPC2")
///     .multicall_shape(MulticallShape::Unwrapped)
///     .build()?;
/// assert_eq!(supervisor.multicall_shape(), MulticallShape::Unwrapped);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum MulticallShape {
    /// Each value in a one-element array, each fault a fault struct.
    #[default]
    Standard,
    /// Each value as it is, each fault a fault struct (supervisord). A result that is a
    /// struct of exactly `faultCode` and `faultString` is read as a fault.
    Unwrapped,
}
