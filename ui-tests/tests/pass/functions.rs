//! Every shape of documented function and closure that must compile.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use xmlrpc::{Context, Fault, FromRef, MethodDoc, Registry, State, xmlrpc_function};

#[derive(Serialize, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Default)]
pub struct Store(Arc<Mutex<Vec<String>>>);

#[derive(Clone, Default)]
pub struct App {
    store: Store,
}

impl FromRef<App> for Store {
    fn from_ref(app: &App) -> Store {
        app.store.clone()
    }
}

/// Plain.
#[xmlrpc_function]
fn plain(a: i32, b: i32) -> i32 {
    a + b
}

/// Nothing back.
#[xmlrpc_function]
fn nothing() {}

/// Borrowed parameters and a lifetime.
#[xmlrpc_function]
fn borrowed<'a>(s: &'a str, t: &str) -> usize {
    s.len() + t.len()
}

/// Structs in and out, fallible.
#[xmlrpc_function(name = "geo.mid")]
pub fn mid(a: Point, b: Point) -> Result<Point, Fault> {
    Ok(Point { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 })
}

/// Async, with context and state anywhere, and a trailing option.
#[xmlrpc_function]
pub(crate) async fn note(ctx: &Context, State(store): State<Store>, text: String, tag: Option<String>) -> Result<usize, Fault> {
    let who = ctx.header("x-user").unwrap_or("?").to_owned();
    let mut notes = store.0.lock().map_err(|_| Fault::new(1, "poisoned"))?;
    notes.push(format!("{who}: {text} {}", tag.unwrap_or_default()));
    Ok(notes.len())
}

/// A raw identifier.
#[xmlrpc_function]
fn r#type() -> &'static str {
    "type"
}

mod inner {
    /// In a module, used from outside.
    #[xmlrpc::xmlrpc_function]
    pub fn ping() -> &'static str {
        "pong"
    }
}

fn main() {
    let registry = Registry::new()
        .register(plain)
        .register(nothing)
        .register(borrowed)
        .register(mid)
        .register(note)
        .register(r#type)
        .register(inner::ping)
        .function("renamed", plain)
        .function("closure", |ctx: &Context, n: i32| format!("{n} {:?}", ctx.peer()))
        .function("async_closure", |State(app): State<App>| async move { app.store.0.lock().map(|n| n.len() as i32).unwrap_or(0) })
        .function_with("documented", MethodDoc::new().help("Doubles.").params(["n"]), |n: i64| n * 2)
        .with_state(App::default());
    assert_eq!(plain(1, 2), 3);
    assert_eq!(borrowed("a", "bc"), 3);
    assert_eq!(inner::ping(), "pong");
    let _ = mid::call(Point { x: 0.0, y: 0.0 }, Point { x: 1.0, y: 1.0 });
    let _ = registry;
}
