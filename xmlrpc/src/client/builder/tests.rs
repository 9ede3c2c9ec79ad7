use super::*;

#[test]
fn basic_auth_is_base64_of_user_colon_password() {
    let value = basic_auth("Aladdin", Some("open sesame")).expect("valid");
    assert_eq!(value.as_bytes(), b"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    assert!(value.is_sensitive());
}

#[test]
fn bad_settings_are_reported_by_build() {
    let err = ClientBuilder::new("http://h/")
        .header("bad name", "x")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("invalid header name"), "{err}");
    let err = ClientBuilder::new("http://h/")
        .proxy("::")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("invalid proxy"), "{err}");
}

#[test]
fn settings_that_do_not_apply_are_refused() {
    let err = ClientBuilder::new("scgi://127.0.0.1:5000/")
        .proxy("http://proxy:3128")
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`proxy` applies to HTTP only, and scgi://127.0.0.1:5000/ is SCGI"
    );
    let scgi = ClientBuilder::new("scgi://127.0.0.1:5000/")
        .connect_timeout(Duration::from_secs(1))
        .read_timeout(Duration::from_secs(1))
        .build();
    assert!(scgi.is_ok(), "{scgi:?}");
    let err = ClientBuilder::new("http://h/RPC2")
        .http_client(reqwest::Client::new())
        .connect_timeout(Duration::from_secs(1))
        .build()
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("`connect_timeout` is a setting of the connection"),
        "{err}"
    );
    let err = ClientBuilder::new("scgi://h:1/")
        .http_client(reqwest::Client::new())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("is SCGI"), "{err}");
}

#[test]
fn debug_output_keeps_secrets_out() {
    let builder = ClientBuilder::new("http://alice:hunter2@h/RPC2")
        .basic_auth("bob", Some("swordfish"))
        .header("X-Api-Key", "k-42");
    let shown = format!("{builder:?}");
    for secret in ["hunter2", "swordfish", "k-42"] {
        assert!(!shown.contains(secret), "{shown}");
    }
    assert!(
        shown.contains("http://h/RPC2") && shown.contains("X-Api-Key"),
        "{shown}"
    );
}

#[test]
fn allow_none_switches_the_dialect() {
    let client = ClientBuilder::new("http://h/")
        .allow_none(false)
        .build()
        .expect("valid");
    assert_eq!(client.dialect().nil, NilStyle::Refuse);
    let client = ClientBuilder::new("http://h/")
        .allow_none(false)
        .allow_none(true)
        .build()
        .expect("valid");
    assert_eq!(client.dialect().nil, NilStyle::Nil);
}
