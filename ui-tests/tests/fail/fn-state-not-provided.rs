use xmlrpc::{Registry, State, xmlrpc_function};

#[derive(Clone, Default)]
pub struct Store;

#[derive(Clone, Default)]
pub struct Other;

/// Needs the store.
#[xmlrpc_function]
fn count(State(store): State<Store>) -> i32 {
    let _ = store;
    0
}

// Adds the function to a registry whose state is `Other`, which does not provide `Store`.
pub fn with_count(registry: Registry<Other>) -> Registry<Other> {
    registry.register(count)
}

fn main() {}
