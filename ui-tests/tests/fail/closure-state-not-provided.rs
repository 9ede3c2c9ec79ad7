use xmlrpc::{Registry, State};

#[derive(Clone, Default)]
pub struct Store;

// Adds the closure to a registry without state (`Registry` is `Registry<()>`).
pub fn with_count(registry: Registry) -> Registry {
    registry.function("count", |State(_store): State<Store>| 0)
}

fn main() {}
