use xmlrpc::{Context, xmlrpc_service};

pub struct S;

#[xmlrpc_service]
impl S {
    pub fn who(&self, ctx: Context) -> String {
        ctx.path().to_owned()
    }
}

fn main() {}
