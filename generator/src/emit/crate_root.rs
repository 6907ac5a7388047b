//! `src/lib.rs`: the crate's documentation, the module's entry point
//! (`client.<module>()`), and what it takes from the shared runtime
//! (`drun-runtime`, ordinary Rust in `runtime/`, which holds the client,
//! authentication, errors and the codec, and never changes with a
//! document).

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::sanitize;
use super::types::{Place, owned};
use super::{Context, ident};
use crate::ir::SecurityScheme;

pub(crate) fn lib_rs(ctx: &Context<'_>) -> TokenStream {
    let api = ctx.api;
    let krate = ctx.config.crate_ident();
    let module = ctx.config.module_name();
    let entry = ident(&entry_type(&module));
    let entry_trait = ident(&format!("{entry}Ext"));
    let accessor = ident(&module_method(&module));
    let title = format!(" # {}", ctx.config.crate_name);
    // The English name beside the document's title, which is Chinese for
    // most d.run modules.
    let named = match &ctx.config.title {
        Some(english) if *english != api.title => format!("{english} ({})", api.title),
        _ => api.title.clone(),
    };
    let about = format!(
        " A typed client for the {named} API (module `{module}`), version {} (crate version {}), generated from `{}`.",
        api.version, ctx.config.crate_version, ctx.spec_path
    );
    let description: Vec<String> = api.description.as_deref().map(sanitize).unwrap_or_default();
    let example = example(ctx, &krate, &entry_trait.to_string(), &accessor.to_string());
    let api_keys = api_key_docs(ctx);
    let version = api.version.as_str();
    let sha = ctx.spec_sha256.as_str();
    let module_str = module.as_str();
    let default_url = api.default_base_url.as_deref().map(|url| {
        quote! {
            /// The base URL: the first server the document names, or the
            /// configured `base_url` when it names none.
            pub const DEFAULT_BASE_URL: &str = #url;
        }
    });
    let reexports = RUNTIME_REEXPORTS.iter().map(|name| ident(name));
    let error_body = error_body(ctx);
    let pages_mod = api.tags.iter().flat_map(|t| &t.operations).any(|o| o.paging.is_some()).then(|| {
        quote!(
            mod pages;
        )
    });
    let streams = api
        .tags
        .iter()
        .flat_map(|t| &t.operations)
        .any(|o| matches!(o.response, crate::ir::ResponseKind::Stream(_)) || o.events.is_some())
        .then(|| {
            quote!(
                use drun_runtime::stream;
            )
        });
    let codec = (!api.models.is_empty()).then(|| {
        quote!(
            use drun_runtime::codec;
        )
    });
    let entry_doc = format!(" The `{module}` API, reached with `client.{accessor}()`: one accessor per tag.");
    let trait_doc = format!(" `client.{accessor}()`: the `{module}` API through a shared [`Client`].");
    let accessor_doc = format!(" The `{module}` API.");
    quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = #about]
        #( #![doc = #description] )*
        #![doc = ""]
        #![doc = " ```text"]
        #![doc = " Client -> client.<module>() -> .<tag>() -> method per operation -> Call (a future) -> Result<model>"]
        #![doc = " ```"]
        #![doc = ""]
        #![doc = " The client, authentication, errors and codec are `drun-runtime`'s, shared"]
        #![doc = " with every other module's crate: one [`Client`] reaches them all."]
        #( #![doc = #api_keys] )*
        #![doc = ""]
        #( #![doc = #example] )*
        // Descriptions come from the document: bare URLs in them are text.
        #![allow(rustdoc::bare_urls)]
        // docs.rs (nightly, `--cfg docsrs`) marks feature-gated items.
        #![cfg_attr(docsrs, feature(doc_cfg))]

        pub mod apis;
        #[cfg(feature = "mocks")]
        pub mod mocks;
        pub mod models;
        #pages_mod

        // The runtime's parts that generated code calls, under short paths
        // (the codec only for models: a document may have none).
        #codec
        use drun_runtime::request;

        pub use drun_runtime::{ #( #reexports ),* };
        #streams

        /// The module's name in the d.run family.
        pub const MODULE: &str = #module_str;

        /// The API version (`info.version`) this crate was generated for.
        pub const API_VERSION: &str = #version;

        /// SHA-256 of the document this crate was generated from.
        pub const SPEC_SHA256: &str = #sha;

        #default_url

        #error_body

        #[doc = #entry_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #entry<'a> {
            pub(crate) client: &'a Client,
        }

        impl<'a> #entry<'a> {
            /// This module's API, through `client`.
            pub fn new(client: &'a Client) -> Self {
                Self { client }
            }
        }

        #[doc = #trait_doc]
        pub trait #entry_trait {
            #[doc = #accessor_doc]
            fn #accessor(&self) -> #entry<'_>;
        }

        impl #entry_trait for Client {
            fn #accessor(&self) -> #entry<'_> {
                #entry::new(self)
            }
        }
    }
}

/// What every generated crate (module or umbrella) re-exports from the
/// runtime, so that its users need no dependency on it.
pub(crate) const RUNTIME_REEXPORTS: &[&str] = &[
    "ApiError",
    "BearerAuth",
    "Call",
    "Client",
    "ClientBuilder",
    "Error",
    "Operation",
    "Page",
    "Pages",
    "Response",
    "Result",
    "RetryPolicy",
    "Status",
    "Stream",
    "WithMetadata",
    "bytes",
    "futures_util",
    "protojson",
    "reqwest",
    "reqwest_middleware",
];

/// The crate docs' example: a client built, and a call of the first
/// operation that needs no arguments, if there is one.
pub(crate) fn example(ctx: &Context<'_>, krate: &str, entry_trait: &str, accessor: &str) -> Vec<String> {
    let api = ctx.api;
    let example_call = api.tags.iter().find_map(|t| {
        let op = t.operations.iter().find(|o| {
            o.path_params.is_empty()
                    && o.body.is_none()
                    && o.query_params.iter().all(|p| !p.required)
                    // A stream is not awaited whole.
                    && !matches!(o.response, crate::ir::ResponseKind::Stream(_))
        })?;
        let args = op
            .params_struct
            .as_ref()
            .map(|s| format!("&{krate}::apis::{}::{}::default()", t.module, s))
            .unwrap_or_default();
        Some(format!("let _result = client.{accessor}().{}().{}({}).await?;", t.module, op.fn_name, args))
    });
    let mut example = vec![
        " ```no_run".to_owned(),
        format!(" use {krate}::{entry_trait};"),
        String::new(),
        format!(" # async fn example() -> Result<(), {krate}::Error> {{"),
        format!(
            " let client = {krate}::Client::builder(\"{}\")",
            api.default_base_url.as_deref().unwrap_or("https://api.example.com")
        ),
        "     .bearer_token(\"my-access-key\")".to_owned(),
        "     .build()?;".to_owned(),
    ];
    if let Some(call) = example_call {
        example.push(format!(" {call}"));
    }
    example.extend([" # Ok(())".to_owned(), " # }".to_owned(), " ```".to_owned()]);
    example
}

/// The entry type of a module: `ghippo` -> `Ghippo`, `mcamel-kafka` ->
/// `McamelKafka`.
pub fn entry_type(module: &str) -> String {
    let name = heck::ToUpperCamelCase::to_upper_camel_case(module);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) { format!("Api{name}") } else { name }
}

/// The accessor method of a module: its snake-case name, never one of
/// `Client`'s own methods (which would win over the trait's).
pub fn module_method(module: &str) -> String {
    let name = crate::ir::naming::snake_ident(module);
    match name.as_str() {
        "builder" | "base_url" | "call" | "clone" | "fmt" => format!("{name}_api"),
        _ => name,
    }
}

/// Doc lines saying how to send the document's API keys.
fn api_key_docs(ctx: &Context<'_>) -> Vec<String> {
    let mut lines = Vec::new();
    for s in &ctx.api.security {
        let line = match s {
            SecurityScheme::ApiKeyHeader(n) => {
                format!(" This API takes a key in the `{n}` header: `ClientBuilder::api_key_header(\"{n}\", key)`.")
            }
            SecurityScheme::ApiKeyQuery(n) => format!(
                " This API takes a key as the `{n}` query parameter: `ClientBuilder::api_key_query(\"{n}\", key)`."
            ),
            _ => continue,
        };
        lines.push(String::new());
        lines.push(line);
    }
    lines
}

/// The document's error body type.
fn error_body(ctx: &Context<'_>) -> TokenStream {
    match &ctx.api.error_body {
        Some(ty) => {
            let ty = owned(ty, Place::Crate);
            quote! {
                /// The error body every operation declares: [`ApiError::body`] reads a
                /// `google.rpc.Status`; [`ApiError::body_as`] reads this type.
                pub type ErrorBody = #ty;
            }
        }
        None => TokenStream::new(),
    }
}

/// The crate's `README.md`, what crates.io shows: the module's name, what
/// it covers, how to add it, and a first call (the crate docs' example,
/// which is compiled there as a doc test).
pub(crate) fn readme(ctx: &Context<'_>) -> String {
    let api = ctx.api;
    let config = ctx.config;
    let module = config.module_name();
    let krate = config.crate_ident();
    let entry_trait = format!("{}Ext", entry_type(&module));
    let accessor = module_method(&module);
    let named = match &config.title {
        Some(english) if *english != api.title => format!("{english} ({})", api.title),
        _ => api.title.clone(),
    };
    let operations: usize = api.tags.iter().map(|t| t.operations.len()).sum();
    let mut out = format!(
        "<!-- @generated by `cargo xtask generate`: do not edit by hand. -->\n\n# {}\n\n\
         A typed async Rust client for the **{named}** API (module `{module}`), version {}: \
         {operations} operations in {} tags, generated from `{}`.\n",
        config.crate_name,
        api.version,
        api.tags.len(),
        ctx.spec_path,
    );
    if let Some(description) = api.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        let _ = write!(out, "\n{}\n", description.lines().next().unwrap_or_default());
    }
    let _ = write!(
        out,
        "\n```toml\n[dependencies]\n{} = \"{}\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```\n\n## A first call\n\n```rust,no_run\n",
        config.crate_name,
        crate_version_requirement(&config.crate_version),
    );
    // The docs' example with its hidden lines shown: a function a reader
    // can copy.
    for line in example(ctx, &krate, &entry_trait, &accessor) {
        let line = line.strip_prefix(' ').unwrap_or(&line);
        if line.starts_with("```") {
            continue;
        }
        let shown = line.strip_prefix("# ").unwrap_or(line);
        let inside = !(line.starts_with("# ") || line.starts_with("use ") || line.is_empty());
        if inside || shown == "Ok(())" {
            out.push_str("    ");
        }
        out.push_str(shown);
        out.push('\n');
    }
    out.push_str("```\n\n## Tags\n\n| tag | operations |\n| --- | --- |\n");
    for tag in &api.tags {
        let _ = writeln!(out, "| `{}()` | {} |", tag.module, tag.operations.len());
    }
    out.push_str(
        "\nThe client, authentication, retries, errors and mocks are those of `drun-runtime`, \
         shared by every crate generated by `drun-generator`; the crate's documentation covers each operation.\n",
    );
    out
}

/// `0.1.3` -> `0.1`, `1.2.3` -> `1`: the requirement a user writes.
fn crate_version_requirement(version: &str) -> String {
    let parts: Vec<&str> = version.split('.').collect();
    match parts.as_slice() {
        ["0", minor, ..] => format!("0.{minor}"),
        [major, ..] => (*major).to_owned(),
        [] => version.to_owned(),
    }
}
