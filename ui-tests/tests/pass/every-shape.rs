use serde::{Deserialize, Serialize};
use xmlrpc::{Context, Fault, xmlrpc_service};

#[derive(Serialize, Deserialize)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

#[derive(Serialize)]
pub struct OnlySerialize {
    pub n: i32,
}

pub struct MyError;

impl From<MyError> for Fault {
    fn from(_: MyError) -> Fault {
        Fault::new(1, "mine")
    }
}

pub struct Everything;

#[xmlrpc_service]
impl Everything {
    /// Sync, by value.
    pub fn sync(&self, a: i32, b: String) -> String {
        format!("{a}{b}")
    }

    /// Async.
    pub async fn asynchronous(&self, a: f64) -> f64 {
        a
    }

    /// Borrowed parameters.
    pub fn borrowed(&self, s: &str) -> usize {
        s.len()
    }

    /// A user's struct in and a `Serialize`-only struct out.
    pub fn structs(&self, p: Point) -> OnlySerialize {
        OnlySerialize { n: p.x + p.y }
    }

    /// Results with a user error, and with Fault.
    pub fn fallible(&self, ok: bool) -> Result<i32, MyError> {
        if ok { Ok(1) } else { Err(MyError) }
    }

    /// Async results.
    pub async fn async_fallible(&self) -> Result<Vec<u8>, Fault> {
        Ok(vec![1])
    }

    /// No result.
    pub fn unit(&self) {}

    /// Explicit unit.
    pub fn explicit_unit(&self) -> () {}

    /// The request context, anywhere among the parameters.
    pub fn with_context(&self, a: i32, ctx: &Context, b: Option<i32>) -> i32 {
        let _ = ctx.peer_addr();
        a + b.unwrap_or(0)
    }

    /// Renamed, with dots and non-ASCII.
    #[xmlrpc(name = "a.b.ç")]
    pub fn renamed(&self) -> bool {
        true
    }

    /// Not public, but exposed on purpose.
    #[xmlrpc(expose)]
    fn exposed(&self) -> i32 {
        1
    }

    /// Public, but kept out.
    #[xmlrpc(skip)]
    pub fn skipped(&self, _not_serializable: std::rc::Rc<i32>) {}

    /// Lifetimes are fine.
    pub fn lifetimes<'a>(&self, s: &'a str) -> &'a str {
        s
    }

    /// `r#` identifiers are named without the prefix.
    pub fn r#type(&self) -> &'static str {
        "type"
    }

    fn not_exposed(&self, _anything: std::rc::Rc<i32>) {}

    pub fn constructor() -> Self {
        Everything
    }
}

pub struct Namespaced;

#[xmlrpc_service(namespace = "currentTime", rename_all = "camelCase", client = "TimeClient")]
impl Namespaced {
    pub fn get_current_time(&self) -> xmlrpc::DateTime {
        xmlrpc::DateTime::now()
    }
}

pub struct Generic<T>(T);

#[xmlrpc_service]
impl<T: Send + Sync + 'static> Generic<T> {
    pub fn ping(&self) -> &'static str {
        "pong"
    }
}

fn main() {
    let registry = xmlrpc::Registry::new()
        .service(Everything)
        .service(Namespaced)
        .service_at("generic", Generic(1u8));
    let _ = Everything::constructor();
    let _client = EverythingClient::new(&registry);
    let _time = TimeClient::new(&registry);
}
