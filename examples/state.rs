//! Functions with shared state, served next to an axum app's own routes and `State`: a notes
//! store behind a lock, which the XML-RPC functions read and change and the app's own
//! `/notes` page lists. A documentation page with try-it forms is at `/RPC2`.
//!
//! ```sh
//! cargo run --example state                       # serves on 127.0.0.1:8000
//! python3 -c "import xmlrpc.client as x; s = x.ServerProxy('http://127.0.0.1:8000/RPC2'); print(s.notes.add({'title': 'milk', 'body': 'two litres'}), s.notes.list())"
//! curl http://127.0.0.1:8000/notes
//! ```

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError, RwLock};

use axum::Router;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use xmlrpc::{
    Context, DocPage, Endpoint, Fault, FromRef, MethodDoc, Registry, State, xmlrpc_function,
};
use xmlrpc_axum::XmlRpc;

/// A note as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Note {
    id: u32,
    title: String,
    body: String,
    tags: Vec<String>,
    /// Who added it: the client's `User-Agent`.
    author: String,
}

/// A note to add.
#[derive(Debug, Deserialize)]
struct NewNote {
    title: String,
    body: String,
    tags: Option<Vec<String>>,
}

/// The notes, shared by every request (XML-RPC or not) behind one lock.
#[derive(Clone, Default)]
struct Notes(Arc<RwLock<Store>>);

#[derive(Default)]
struct Store {
    next_id: u32,
    notes: BTreeMap<u32, Note>,
}

impl Notes {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Store> {
        // A panic while holding the lock leaves whole notes behind: keep serving them.
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Store> {
        self.0.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The app's state: the notes, and what else the app keeps.
#[derive(Clone)]
struct AppState {
    notes: Notes,
    name: Arc<str>,
}

// The XML-RPC functions take `State<Notes>` from the registry's state...
impl FromRef<AppState> for Notes {
    fn from_ref(state: &AppState) -> Notes {
        state.notes.clone()
    }
}

// ... and the app's own handlers take the same part from axum's.
impl axum::extract::FromRef<AppState> for Notes {
    fn from_ref(state: &AppState) -> Notes {
        state.notes.clone()
    }
}

fn no_note(id: u32) -> Fault {
    Fault::new(404, format!("no note {id}"))
}

/// Adds a note and returns its id. Its author is the client's `User-Agent` header.
#[xmlrpc_function(name = "notes.add")]
fn add_note(State(notes): State<Notes>, ctx: &Context, note: NewNote) -> Result<u32, Fault> {
    if note.title.trim().is_empty() {
        return Err(Fault::new(400, "a note needs a title"));
    }
    let mut store = notes.write();
    store.next_id += 1;
    let id = store.next_id;
    let author = ctx.header("user-agent").unwrap_or("unknown").to_owned();
    store.notes.insert(
        id,
        Note {
            id,
            title: note.title,
            body: note.body,
            tags: note.tags.unwrap_or_default(),
            author,
        },
    );
    Ok(id)
}

/// Returns the note with this `id`.
#[xmlrpc_function(name = "notes.get")]
fn get_note(State(notes): State<Notes>, id: u32) -> Result<Note, Fault> {
    notes
        .read()
        .notes
        .get(&id)
        .cloned()
        .ok_or_else(|| no_note(id))
}

/// Every note, oldest first; only those with `tag` when it is given.
#[xmlrpc_function(name = "notes.list")]
fn list_notes(State(notes): State<Notes>, tag: Option<String>) -> Vec<Note> {
    let store = notes.read();
    store
        .notes
        .values()
        .filter(|n| tag.as_ref().is_none_or(|t| n.tags.contains(t)))
        .cloned()
        .collect()
}

/// Deletes the note with this `id`; a fault when there is none.
#[xmlrpc_function(name = "notes.delete")]
async fn delete_note(State(notes): State<Notes>, id: u32) -> Result<Note, Fault> {
    notes.write().notes.remove(&id).ok_or_else(|| no_note(id))
}

/// The app's own page of notes, from the same store.
async fn notes_page(axum::extract::State(notes): axum::extract::State<Notes>) -> String {
    let store = notes.read();
    let mut page = format!("{} notes\n", store.notes.len());
    for note in store.notes.values() {
        page.push_str(&format!("{}: {} ({})\n", note.id, note.title, note.author));
    }
    page
}

async fn home(axum::extract::State(app): axum::extract::State<AppState>) -> String {
    format!(
        "{}: the notes are at /notes, XML-RPC and its documentation at /RPC2.\n",
        app.name
    )
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let addr = std::env::args()
        .skip_while(|arg| arg != "--addr")
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8000".to_owned());

    let state = AppState {
        notes: Notes::default(),
        name: "Notes".into(),
    };

    // Each function names the part of the state it takes; the registry checks, when they
    // are registered, that `AppState` provides it.
    let registry = Registry::new()
        .register(add_note)
        .register(get_note)
        .register(list_notes)
        .register(delete_note)
        .function_with(
            "app.name",
            MethodDoc::new().help("The app's name, from the whole application state."),
            |State(app): State<AppState>| app.name.to_string(),
        )
        .with_state(state.clone());
    let page = DocPage::new()
        .title("Notes")
        .name("Notes over XML-RPC")
        .description("A notes store shared with the app's own `/notes` page.");
    let rpc = XmlRpc::new(Endpoint::new(registry).paths(["/"]).documentation(page)).into_router();

    let app = Router::new()
        .route("/", get(home))
        .route("/notes", get(notes_page))
        .nest("/RPC2", rpc)
        .with_state(state);

    let listener = tokio::net::TcpListener::bind(addr).await?;
    xmlrpc_axum::serve_router(listener, app).await
}
