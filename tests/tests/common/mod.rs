//! Shared set-up: a client pointed at a local mock server.

use drun_client::Client;
use wiremock::MockServer;

/// The access key the tests send and the servers expect.
pub const KEY: &str = "test-access-key-0123";

/// A client for `server` with the test key.
pub fn client(server: &MockServer) -> Client {
    Client::builder(server.uri()).bearer_token(KEY).build().expect("client builds")
}
