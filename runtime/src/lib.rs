//! # drun-runtime
//!
//! What every generated API client shares: the [`Client`] and its builder,
//! bearer and API-key authentication, the [`Error`] type, and the JSON
//! codec the generated models use. It depends on nothing in any API
//! document, so it is ordinary Rust, written, documented and tested here,
//! once; the generated crates (one per API module) depend on it.
//!
//! ```text
//! Client -> client.<module>() -> .<tag>() -> method per operation -> Call (a future) -> Result<model>
//! ```
//!
//! Every request goes through a `reqwest-middleware` chain that starts with
//! [`BearerAuth`] when a token is set; add retry or tracing middlewares with
//! [`ClientBuilder::with`]. Each request carries its [`Operation`] in its
//! extensions.

// docs.rs (nightly, `--cfg docsrs`) marks feature-gated items.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
mod client;
#[doc(hidden)]
pub mod codec;
mod error;
#[cfg(feature = "mocks")]
pub mod mock;
mod pages;
pub mod protojson;
#[doc(hidden)]
pub mod request;
mod retry;
mod status;
pub mod stream;
mod tls;

pub use auth::BearerAuth;
pub use client::{
    Call, Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, Operation, Response, WithMetadata,
};
pub use error::{ApiError, Error, Result};
pub use pages::{Page, Pages};
pub use retry::RetryPolicy;
pub use status::{Any, Status};
pub use stream::{Framing, Stream};
pub use {bytes, futures_util, reqwest, reqwest_middleware};

/// serde, for the macros generated code calls.
#[doc(hidden)]
pub use serde as __serde;
