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

fn main() {
    // The registry's state is `Other`, which does not provide `Store`.
    let _ = Registry::new().register(count).with_state(Other);
}
