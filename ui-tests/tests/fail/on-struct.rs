use xmlrpc::xmlrpc_service;

#[xmlrpc_service]
pub struct S;

fn main() {}
