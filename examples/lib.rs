//! Runnable examples of the xmlrpc toolkit: see the `[[example]]` entries of this package.
