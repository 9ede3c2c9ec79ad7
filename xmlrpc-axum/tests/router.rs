//! The router in process, through tower's `oneshot`: paths, methods, several registries.

// Test set-up fails loudly.
#![allow(clippy::unwrap_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use xmlrpc::{Endpoint, MethodResponse, Registry};
use xmlrpc_axum::XmlRpc;

fn registry(answer: &'static str) -> Registry {
    Registry::new().function("who", move || answer)
}

async fn post(app: &Router, path: &str, body: Vec<u8>) -> (StatusCode, Vec<u8>) {
    let request = Request::post(path).body(Body::from(body)).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, bytes.to_vec())
}

#[tokio::test]
async fn several_registries_at_several_paths() {
    // Python's MultiPathXMLRPCServer.
    let app: Router = Router::new()
        .merge(
            XmlRpc::new(
                Endpoint::new(registry("first"))
                    .paths(["/one"])
                    .log_requests(false),
            )
            .into_router(),
        )
        .merge(
            XmlRpc::new(
                Endpoint::new(registry("second"))
                    .paths(["/two"])
                    .log_requests(false),
            )
            .into_router(),
        );
    let call = xmlrpc::call_to_vec("who", &()).unwrap();
    for (path, expected) in [("/one", "first"), ("/two", "second")] {
        let (status, body) = post(&app, path, call.clone()).await;
        assert_eq!(status, StatusCode::OK);
        let answer: MethodResponse<String> = xmlrpc::response_from_slice(&body).unwrap();
        assert_eq!(answer.into_result().unwrap(), expected);
    }
    let (status, _) = post(&app, "/three", call).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn default_paths_and_methods() {
    let app: Router = XmlRpc::new(Endpoint::new(registry("x")).log_requests(false)).into_router();
    let call = xmlrpc::call_to_vec("who", &()).unwrap();
    assert_eq!(post(&app, "/", call.clone()).await.0, StatusCode::OK);
    assert_eq!(post(&app, "/RPC2", call.clone()).await.0, StatusCode::OK);
    assert_eq!(post(&app, "/RPC3", call).await.0, StatusCode::NOT_FOUND);
    let response = app
        .clone()
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()[header::ALLOW], "POST");
    let documented: Router = XmlRpc::new(
        Endpoint::new(registry("x"))
            .documentation(xmlrpc::DocPage::new().name("Who"))
            .log_requests(false),
    )
    .into_router();
    let response = documented
        .clone()
        .oneshot(Request::get("/RPC2").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let html = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let html = String::from_utf8(html.to_vec()).unwrap();
    assert!(
        html.contains("<h1>Who</h1>") && html.contains("id=\"who\""),
        "{html}"
    );
    let response = documented
        .oneshot(Request::put("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.headers()[header::ALLOW], "GET, HEAD, POST");
}

#[tokio::test]
async fn nested_in_an_app_with_state() {
    #[derive(Clone)]
    struct AppState;
    let app: Router = Router::new()
        .route("/health", axum::routing::get(|| async { "ok" }))
        .nest(
            "/RPC2",
            XmlRpc::new(
                Endpoint::new(registry("nested"))
                    .paths(["/"])
                    .log_requests(false),
            )
            .into_router::<AppState>(),
        )
        .with_state(AppState);
    let (status, body) = post(&app, "/RPC2", xmlrpc::call_to_vec("who", &()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(body).unwrap().contains("nested"));
}
