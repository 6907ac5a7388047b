//! The hand-designed part of every generated crate: the client and its
//! builder, bearer authentication, the error type, and the protojson and
//! serde helpers (`templates/`).
//! It changes only with the generator, never with the document.

use proc_macro2::TokenStream;
use quote::quote;

use super::Context;
use super::docs::sanitize;
use super::types::{Place, owned};
use crate::ir::SecurityScheme;

pub(crate) fn lib_rs(ctx: &Context<'_>) -> TokenStream {
    let api = ctx.api;
    let title = format!(" # {}", ctx.config.crate_name);
    let about = format!(
        " A typed client for the {} API, version {} (crate version {}), generated from `{}`.",
        api.title, api.version, ctx.config.crate_version, ctx.spec_path
    );
    let description: Vec<String> = api.description.as_deref().map(sanitize).unwrap_or_default();
    let first_tag = api.tags.first();
    let example_call = first_tag.and_then(|t| {
        let op = t.operations.iter().find(|o| o.path_params.is_empty() && o.body.is_none() && o.query_params.iter().all(|p| !p.required))?;
        let args = op.params_struct.as_ref().map(|s| format!("&{}::apis::{}::{}::default()", ctx.config.crate_ident(), t.module, s)).unwrap_or_default();
        Some(format!("let _result = client.{}().{}({}).await?;", t.module, op.fn_name, args))
    });
    let mut example = vec![
        " ```no_run".to_owned(),
        format!(" # async fn example() -> Result<(), {}::Error> {{", ctx.config.crate_ident()),
        format!(" let client = {}::Client::builder(\"{}\")", ctx.config.crate_ident(), api.default_base_url.as_deref().unwrap_or("https://api.example.com")),
        "     .bearer_token(\"my-access-key\")".to_owned(),
        "     .build()?;".to_owned(),
    ];
    if let Some(call) = example_call {
        example.push(format!(" {call}"));
    }
    example.extend([" # Ok(())".to_owned(), " # }".to_owned(), " ```".to_owned()]);
    let version = api.version.as_str();
    let sha = ctx.spec_sha256.as_str();
    let default_url = api.default_base_url.as_deref().map(|url| {
        quote! {
            /// The base URL: the first server the document names, or the
            /// configured `base_url` when it names none.
            pub const DEFAULT_BASE_URL: &str = #url;
        }
    });
    let error_body = error_body(ctx);
    let api_key_setters = api_key_setters(ctx);
    quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = #about]
        #( #![doc = #description] )*
        #![doc = ""]
        #![doc = " ```text"]
        #![doc = " Client -> client.<tag>() -> method per operation -> Call (a future) -> crate::Result<model>"]
        #![doc = " ```"]
        #![doc = ""]
        #![doc = " Every request goes through a `reqwest-middleware` chain that starts with"]
        #![doc = " [`BearerAuth`] when a token is set; add retry or tracing middlewares with"]
        #![doc = " [`ClientBuilder::with`]."]
        #![doc = ""]
        #( #![doc = #example] )*
        // Descriptions come from the document: bare URLs in them are text.
        #![allow(rustdoc::bare_urls)]

        pub mod apis;
        mod auth;
        mod client;
        mod codec;
        mod error;
        pub mod models;
        pub mod protojson;

        pub use auth::BearerAuth;
        pub use client::{Call, Client, ClientBuilder};
        pub use error::{ApiError, Error, Result};
        pub use bytes;
        pub use reqwest;
        pub use reqwest_middleware;

        /// The API version (`info.version`) this crate was generated for.
        pub const API_VERSION: &str = #version;

        /// SHA-256 of the document this crate was generated from.
        pub const SPEC_SHA256: &str = #sha;

        #default_url

        #error_body

        #api_key_setters
    }
}

/// `impl ClientBuilder` with a setter per API key scheme of the document.
fn api_key_setters(ctx: &Context<'_>) -> TokenStream {
    let setters: Vec<TokenStream> = ctx
        .api
        .security
        .iter()
        .filter_map(|s| {
            let (name, doc, in_query) = match s {
                SecurityScheme::ApiKeyHeader(n) => (n, format!(" Sends `key` in the `{n}` header of every request."), false),
                SecurityScheme::ApiKeyQuery(n) => (n, format!(" Sends `key` as the `{n}` query parameter of every request."), true),
                _ => return None,
            };
            let method = super::ident(&format!("api_key_{}", crate::ir::naming::snake_ident(name).trim_end_matches('_')));
            Some(quote! {
                #[doc = #doc]
                pub fn #method(mut self, key: impl Into<String>) -> Self {
                    self.api_keys.push(client::ApiKey { name: #name, value: key.into(), in_query: #in_query });
                    self
                }
            })
        })
        .collect();
    if setters.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl ClientBuilder {
            #( #setters )*
        }
    }
}

/// The error body type and the properties that tell one.
fn error_body(ctx: &Context<'_>) -> TokenStream {
    let (body_ty, body_doc, properties) = match &ctx.api.error_body {
        Some(ty) => (
            owned(ty, Place::Crate),
            " The error body every operation declares for its error responses.",
            error_body_properties(ctx, ty),
        ),
        None => (quote!(serde_json::Value), " Error bodies are not described alike by the document, so any JSON is kept.", Vec::new()),
    };
    quote! {
        #[doc = #body_doc]
        pub type ErrorBody = #body_ty;

        /// The properties of [`ErrorBody`]: an error response holding none
        /// of them is not read as one (its text is kept in any case).
        const ERROR_BODY_PROPERTIES: &[&str] = &[#(#properties),*];
    }
}

/// Wire names of the error body's properties, when it is a struct model.
fn error_body_properties(ctx: &Context<'_>, ty: &crate::ir::Type) -> Vec<String> {
    let crate::ir::Type::Model(name) = ty else { return Vec::new() };
    ctx.api
        .models
        .iter()
        .find(|m| &m.name == name)
        .and_then(|m| match &m.kind {
            crate::ir::ModelKind::Struct { fields, .. } => Some(fields.iter().map(|f| f.wire_name.clone()).collect()),
            _ => None,
        })
        .unwrap_or_default()
}

/// The runtime files depend on nothing in the document, so they are kept
/// as plain Rust in `generator/templates/` (readable, commented and
/// formatted as they will be written, and unit-tested in every generated
/// crate) and copied out as they are.
pub(crate) const CLIENT_RS: &str = include_str!("../../templates/client.rs");
pub(crate) const AUTH_RS: &str = include_str!("../../templates/auth.rs");
pub(crate) const ERROR_RS: &str = include_str!("../../templates/error.rs");
/// `src/protojson.rs` and `src/codec.rs` depend on nothing in the document,
/// so they are kept as plain Rust in `generator/templates/` (readable and
/// formatted as they will be written) and copied out as they are.
pub(crate) const PROTOJSON_RS: &str = include_str!("../../templates/protojson.rs");
pub(crate) const CODEC_RS: &str = include_str!("../../templates/codec.rs");
