//! Odoo's external API over HTTPS, as its documentation shows it in Python: the server's
//! version, logging in, then `execute_kw` on a model with positional and keyword arguments.
//!
//! Odoo serves two XML-RPC endpoints: `/xmlrpc/2/common` (no login: `version`,
//! `authenticate`) and `/xmlrpc/2/object` (`execute_kw(db, uid, password, model, method,
//! args, kwargs)`, every model method the user may call). `authenticate` answers the user's
//! id, or `false` when the login is refused; empty fields come back as `false` too, and
//! many-to-one fields as `[id, name]`.
//!
//! ```text
//! cargo run --example odoo_client -- --url https://mycompany.odoo.com \
//!     --db mycompany --user admin --password API_KEY
//! ```
//!
//! `--ca FILE` trusts a private certificate authority besides the system's (for a server
//! whose certificate it signed). It prints:
//!
//! ```text
//! Odoo 17.0 (protocol 1)
//! logged in as user 2
//! may read partners: true
//! 2 companies
//! Azure Interior (United States) <azure.Interior24@example.com>
//! Deco Addict (no country) <no email>
//! ```

use std::process::ExitCode;

use serde::{Deserialize, Deserializer, Serialize};
use xmlrpc::client::Client;
use xmlrpc::{Struct, Value, xmlrpc_client};

/// What `common.version()` answers.
#[derive(Debug, Deserialize)]
struct Version {
    server_version: String,
    protocol_version: i32,
}

/// `/xmlrpc/2/common`.
#[xmlrpc_client]
trait Common {
    fn version(&self) -> Version;

    /// The user's id, or `false` when the login is refused: a `Value` to tell which.
    fn authenticate(&self, db: &str, login: &str, password: &str, user_agent_env: Struct) -> Value;
}

/// A partner, as `search_read` answers with the fields asked for.
#[derive(Debug, Deserialize)]
struct Partner {
    name: String,
    #[serde(deserialize_with = "many2one")]
    country_id: Option<(i64, String)>,
    #[serde(deserialize_with = "text_or_false")]
    email: Option<String>,
}

/// The keyword arguments of `search_read`.
#[derive(Serialize)]
struct SearchRead<'a> {
    fields: &'a [&'a str],
    limit: i32,
}

#[tokio::main]
async fn main() -> ExitCode {
    let Some(args) = Args::parse() else {
        eprintln!(
            "usage: odoo_client --url https://HOST --db DB --user LOGIN --password PASSWORD [--ca FILE]"
        );
        return ExitCode::FAILURE;
    };
    match run(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let connect = |path: &str| {
        let mut builder = Client::builder(&format!("{}{path}", args.url.trim_end_matches('/')));
        if let Some(pem) = &args.ca {
            builder = builder.add_root_certificate(pem);
        }
        builder.build()
    };
    let common = CommonClient::new(connect("/xmlrpc/2/common")?);
    let version = common.version().await?;
    println!(
        "Odoo {} (protocol {})",
        version.server_version, version.protocol_version
    );

    let uid = match common
        .authenticate(&args.db, &args.user, &args.password, Struct::new())
        .await?
    {
        Value::Int(uid) => uid,
        _ => return Err("login refused: check the database, the login and the password".into()),
    };
    println!("logged in as user {uid}");

    // execute_kw takes the model method's positional arguments as one list and its keyword
    // arguments as one struct: each is one XML-RPC parameter, added with `arg`.
    let object = connect("/xmlrpc/2/object")?;
    let execute = |method: &str| {
        object
            .request("execute_kw")
            .arg(&args.db)
            .arg(&uid)
            .arg(&args.password)
            .arg("res.partner")
            .arg(method)
    };
    #[derive(Serialize)]
    struct RaiseException {
        raise_exception: bool,
    }
    let may_read: bool = execute("check_access_rights")
        .arg(&["read"])
        .arg(&RaiseException {
            raise_exception: false,
        })
        .send()
        .await?;
    println!("may read partners: {may_read}");

    let companies = [("is_company", "=", true)];
    let count: i64 = execute("search_count").arg(&(companies,)).send().await?;
    println!("{count} companies");
    let partners: Vec<Partner> = execute("search_read")
        .arg(&(companies,))
        .arg(&SearchRead {
            fields: &["name", "country_id", "email"],
            limit: 5,
        })
        .send()
        .await?;
    for partner in partners {
        let country = partner
            .country_id
            .map_or_else(|| "no country".to_owned(), |(_, name)| name);
        let email = partner.email.unwrap_or_else(|| "no email".to_owned());
        println!("{} ({country}) <{email}>", partner.name);
    }
    Ok(())
}

/// A many-to-one field: `[id, "name"]`, or `false` when it is empty.
fn many2one<'de, D: Deserializer<'de>>(d: D) -> Result<Option<(i64, String)>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Field {
        Set(i64, String),
        Unset(bool),
    }
    match Field::deserialize(d)? {
        Field::Set(id, name) => Ok(Some((id, name))),
        Field::Unset(false) => Ok(None),
        Field::Unset(true) => Err(serde::de::Error::custom(
            "a many-to-one field is [id, name] or false, not true",
        )),
    }
}

/// A text field: a string, or `false` when it is empty.
fn text_or_false<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Field {
        Text(String),
        Unset(bool),
    }
    match Field::deserialize(d)? {
        Field::Text(text) => Ok(Some(text)),
        Field::Unset(false) => Ok(None),
        Field::Unset(true) => Err(serde::de::Error::custom(
            "a text field is a string or false, not true",
        )),
    }
}

struct Args {
    url: String,
    db: String,
    user: String,
    password: String,
    ca: Option<Vec<u8>>,
}

impl Args {
    fn parse() -> Option<Args> {
        let (mut url, mut db, mut user, mut password, mut ca) = (None, None, None, None, None);
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let value = args.next()?;
            match arg.as_str() {
                "--url" => url = Some(value),
                "--db" => db = Some(value),
                "--user" => user = Some(value),
                "--password" => password = Some(value),
                "--ca" => ca = Some(std::fs::read(&value).ok()?),
                _ => return None,
            }
        }
        Some(Args {
            url: url?,
            db: db?,
            user: user?,
            password: password?,
            ca,
        })
    }
}
