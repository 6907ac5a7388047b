//! A smoke suite for a generated client: one call per operation of the
//! document, with valid sample arguments, as Rust source.
//!
//! The conformance tests run it against a server that validates requests
//! against the same document (Prism), so the list of operations always comes
//! from the document and a spec update is covered without editing tests.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Value, json};

use crate::config::Config;
use crate::emit::ident;
use crate::error::Error;
use crate::ir::{Api, ModelKind, Operation, Param, Type};
use crate::load::Source;
use crate::previous::Previous;

/// Rust source defining
/// `fn calls(client: &Client) -> Vec<(&'static str, CallFuture<'_>)>`.
/// `previous` must be the generated crate's, so that type names agree.
pub fn suite(source: &Source<'_>, config: &Config, previous: &Previous) -> Result<String, Error> {
    let (api, _) = crate::pipeline::model(source, config, previous)?;
    let krate = ident(&config.crate_ident());
    let samples = Samples::new(&api);
    let module = config.module_name();
    let accessor = ident(&crate::emit::module_method(&module));
    let entry_trait = ident(&format!("{}Ext", crate::emit::entry_type(&module)));
    let calls = api.tags.iter().flat_map(|tag| {
        let samples = &samples;
        let krate = &krate;
        let accessor = &accessor;
        tag.operations.iter().map(move |op| samples.call(krate, accessor, &tag.module, op))
    });
    let tokens = quote! {
        /// A call's outcome, with the response decoded and dropped.
        pub type CallFuture<'a> =
            std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), #krate::Error>> + Send + 'a>>;

        /// One call per operation, keyed by operation id (deprecated ones
        /// included).
        #[allow(deprecated)]
        pub fn calls(client: &#krate::Client) -> Vec<(&'static str, CallFuture<'_>)> {
            use #krate::#entry_trait as _;
            vec![ #( #calls ),* ]
        }
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::internal(format!("suite does not parse: {e}")))?;
    Ok(prettyplease::unparse(&file))
}

/// How many operations per module [`mock_round_trips`] takes.
const ROUND_TRIPS: usize = 8;

/// Rust source defining
/// `fn round_trips(prism, mocked, server) -> Vec<(&'static str, RoundTrip<'_>)>`:
/// for the first operations of the document that answer JSON, each with an
/// answer type of its own, a call through Prism, then the same call through
/// the module's typed mock answering with what Prism's answer decoded to;
/// both must decode to the same value, so the mocks serialise answers as
/// the server does. Needs the generated crate's `mocks` feature.
pub fn mock_round_trips(source: &Source<'_>, config: &Config, previous: &Previous) -> Result<String, Error> {
    let (api, _) = crate::pipeline::model(source, config, previous)?;
    let krate = ident(&config.crate_ident());
    let samples = Samples::new(&api);
    let module = config.module_name();
    let accessor = ident(&crate::emit::module_method(&module));
    let entry_trait = ident(&format!("{}Ext", crate::emit::entry_type(&module)));
    let mut answers = std::collections::BTreeSet::new();
    let trips: Vec<TokenStream> = api
        .tags
        .iter()
        .flat_map(|tag| tag.operations.iter().map(move |op| (tag, op)))
        .filter(|(_, op)| match &op.response {
            crate::ir::ResponseKind::Json(ty) => answers.insert(ty.display_name()),
            _ => false,
        })
        .take(ROUND_TRIPS)
        .map(|(tag, op)| samples.round_trip(&krate, &accessor, &tag.module, op))
        .collect();
    let tokens = quote! {
        /// A round trip's outcome: why it failed, in words.
        pub type RoundTrip<'a> =
            std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send + 'a>>;

        /// The round trips, keyed by operation id.
        #[allow(deprecated)]
        pub fn round_trips<'a>(
            prism: &'a #krate::Client,
            mocked: &'a #krate::Client,
            server: &'a #krate::mocks::MockServer,
        ) -> Vec<(&'static str, RoundTrip<'a>)> {
            use #krate::#entry_trait as _;
            vec![ #( #trips ),* ]
        }
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::internal(format!("round trips do not parse: {e}")))?;
    Ok(prettyplease::unparse(&file))
}

/// Rust source defining `fn decode_all(body: &[u8])`, which reads `body`
/// as the success type of every operation with a JSON answer, through the
/// generated crate's `protojson::decode` (the path every call's answer
/// takes), and shows what it read with `Debug`. For fuzzing.
pub fn decoders(source: &Source<'_>, config: &Config, previous: &Previous) -> Result<String, Error> {
    let (api, _) = crate::pipeline::model(source, config, previous)?;
    let krate = ident(&config.crate_ident());
    // One decode per distinct type, in the order of its text.
    let types: BTreeMap<String, TokenStream> = api
        .tags
        .iter()
        .flat_map(|t| &t.operations)
        .filter_map(|op| match &op.response {
            crate::ir::ResponseKind::Json(ty) => {
                let tokens = crate::emit::types::owned(ty, crate::emit::types::Place::Crate);
                Some((tokens.to_string(), tokens))
            }
            _ => None,
        })
        .collect();
    let decodes = types.values().map(|ty| {
        let ty = rebase(ty.clone(), &krate);
        quote! {
            if let Ok(value) = #krate::protojson::decode::<#ty>(body) {
                let _ = format!("{value:?}");
            }
        }
    });
    let count = types.len();
    let tokens = quote! {
        /// How many types `decode_all` reads a body as.
        pub const DECODED_TYPES: usize = #count;

        /// Reads `body` as every operation's success type.
        pub fn decode_all(body: &[u8]) {
            #( #decodes )*
        }
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::internal(format!("decoders do not parse: {e}")))?;
    Ok(prettyplease::unparse(&file))
}

/// One operation called through the `drun` command line.
#[derive(Debug, Clone)]
pub struct CliCall {
    /// The operation's id.
    pub operation: String,
    /// Its HTTP method.
    pub method: String,
    /// The arguments after `drun`: module, tag, operation, path values,
    /// flags and the body, from the same samples as the client's calls.
    pub args: Vec<String>,
    /// The same call as the MCP server's `call_operation` takes it:
    /// `operation` (`module/tag/operation`), `arguments` by wire name and
    /// `body`.
    pub mcp: Value,
    /// Whether its answer is a stream (grpc-gateway's framing): drun prints
    /// each message's `result`, one per line.
    pub stream: bool,
}

/// One command-line call per operation of the document, with valid
/// sample arguments (those of [`suite`]'s calls).
pub fn cli_calls(source: &Source<'_>, config: &Config, previous: &Previous) -> Result<Vec<CliCall>, Error> {
    let (api, _) = crate::pipeline::model(source, config, previous)?;
    let samples = Samples::new(&api);
    let module = config.module_name();
    let text = |value: &Value| match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut calls = Vec::new();
    for tag in &api.tags {
        for op in &tag.operations {
            let (tag_name, op_name) = (crate::emit::cli::tag_command(tag), crate::emit::cli::command_name(op));
            let mut args = vec![module.clone(), tag_name.clone(), op_name.clone()];
            let mut arguments = serde_json::Map::new();
            for p in &op.path_params {
                // One item in a path (see `call`).
                let value = match &p.ty {
                    Type::Vec(inner) => samples.json(inner, 0, 0),
                    ty => samples.json(ty, 0, 0),
                };
                args.push(text(&value));
                arguments.insert(p.wire_name.clone(), value);
            }
            for p in op.query_params.iter().chain(&op.header_params) {
                let flag = format!("--{}", crate::emit::cli::flag_name(p));
                let value = samples.json(&p.ty, 0, 0);
                match &value {
                    Value::Array(items) => {
                        for item in items {
                            args.extend([flag.clone(), text(item)]);
                        }
                    }
                    scalar => args.extend([flag, text(scalar)]),
                }
                arguments.insert(p.wire_name.clone(), value);
            }
            let mut mcp = json!({"operation": format!("{module}/{tag_name}/{op_name}"), "arguments": arguments});
            if let Some(body) = &op.body {
                let sample = samples.json(&body.ty, 0, 0);
                args.extend(["--body".to_owned(), sample.to_string()]);
                mcp["body"] = sample;
            }
            let stream = matches!(op.response, crate::ir::ResponseKind::Stream(_));
            calls.push(CliCall { operation: op.id.clone(), method: op.method.clone(), args, mcp, stream });
        }
    }
    Ok(calls)
}

/// Sample bodies set every field of messages this deep...
const FULL_DEPTH: usize = 3;
/// ...and only the required ones below, down to this depth.
const REQUIRED_DEPTH: usize = 8;

/// Sample values, by type.
struct Samples<'a> {
    models: BTreeMap<&'a str, &'a ModelKind>,
}

impl<'a> Samples<'a> {
    fn new(api: &'a Api) -> Self {
        Self { models: api.models.iter().map(|m| (m.name.as_str(), &m.kind)).collect() }
    }

    fn call(
        &self,
        krate: &proc_macro2::Ident,
        accessor: &proc_macro2::Ident,
        module: &str,
        op: &Operation,
    ) -> TokenStream {
        let id = op.id.as_str();
        let args = self.args(krate, module, op);
        let module = ident(module);
        let method = ident(&op.fn_name);
        if let crate::ir::ResponseKind::Stream(_) = op.response {
            // Prism answers one message; the stream must read it whole.
            return quote! {
                (#id, Box::pin(async move {
                    use #krate::futures_util::StreamExt as _;
                    let mut messages = std::pin::pin!(client.#accessor().#module().#method(#(#args),*));
                    while let Some(message) = messages.next().await {
                        message?;
                    }
                    Ok(())
                }) as CallFuture<'_>)
            };
        }
        quote! {
            (#id, Box::pin(async move { client.#accessor().#module().#method(#(#args),*).await.map(drop) }) as CallFuture<'_>)
        }
    }

    /// A call of `op` through `prism`, then the same call through `mocked`,
    /// answered by an expectation of `server` with what Prism's answer
    /// decoded to; both must decode to the same value.
    fn round_trip(
        &self,
        krate: &proc_macro2::Ident,
        accessor: &proc_macro2::Ident,
        module: &str,
        op: &Operation,
    ) -> TokenStream {
        let id = op.id.as_str();
        let args = self.args(krate, module, op);
        let any = op
            .positional_params()
            .map(|_| quote!(#krate::mocks::Arg::Any))
            .chain(
                op.body
                    .iter()
                    .filter(|b| b.encoding == crate::ir::BodyEncoding::Json)
                    .map(|_| quote!(#krate::mocks::Body::Any)),
            )
            .chain(op.params_struct.iter().map(|_| quote!(#krate::mocks::Arg::Any)));
        let module = ident(module);
        let method = ident(&op.fn_name);
        quote! {
            (#id, Box::pin(async move {
                let answer = prism.#accessor().#module().#method(#(#args),*).await.map_err(|e| format!("from Prism: {e}"))?;
                server.expect(#krate::mocks::#module::#method(#(#any),*).respond(answer.clone()).times(1)).await;
                let again = mocked.#accessor().#module().#method(#(#args),*).await.map_err(|e| format!("from the mock: {e}"))?;
                if again == answer {
                    Ok(())
                } else {
                    Err(format!("decoded differently: from Prism {answer:?}, from the mock {again:?}"))
                }
            }) as RoundTrip<'a>)
        }
    }

    /// Valid sample arguments of `op`, in its method's order.
    fn args(&self, krate: &proc_macro2::Ident, module: &str, op: &Operation) -> Vec<TokenStream> {
        let module = ident(module);
        let mut args: Vec<TokenStream> = Vec::new();
        for (i, p) in op.positional_params().enumerate() {
            let in_path = i < op.path_params.len();
            match &p.ty {
                // One item in a path: Prism 5.16 splits a path segment at
                // commas before it deserializes the parameter, and then
                // stops with `TypeError: value.split is not a function`.
                // (The runtime's unit tests cover joining several.)
                Type::Vec(inner) if in_path => {
                    let item = self.items(krate, inner).swap_remove(0);
                    let item =
                        if matches!(**inner, Type::String | Type::Base64) { quote!(String::from(#item)) } else { item };
                    args.push(quote!(&[#item]));
                }
                _ => args.push(self.positional(krate, p)),
            }
        }
        if let Some(body) = &op.body {
            let ty = crate::emit::types::owned(&body.ty, crate::emit::types::Place::Crate);
            let ty = rebase(ty, krate);
            let sample = self.json(&body.ty, 0, 0).to_string();
            args.push(quote!(&serde_json::from_str::<#ty>(#sample).expect("sample body decodes")));
        }
        if let Some(s) = &op.params_struct {
            let s = ident(s);
            let setters = op.optional_params().map(|p| {
                let setter = ident(&crate::ir::naming::setter_name(&p.rust_name));
                let value = self.owned_value(krate, &p.ty);
                quote!(.#setter(#value))
            });
            args.push(quote!(&#krate::apis::#module::#s::default() #(#setters)*));
        }
        args
    }

    /// A positional argument, in its borrowed form.
    fn positional(&self, krate: &proc_macro2::Ident, p: &Param) -> TokenStream {
        match &p.ty {
            Type::String | Type::Base64 => quote!("sample"),
            Type::Vec(inner) => {
                let items = self.items(krate, inner);
                if matches!(**inner, Type::String | Type::Base64) {
                    // A slice of owned strings, as the argument is `&[String]`.
                    quote!(&[#(String::from(#items)),*])
                } else {
                    quote!(&[#(#items),*])
                }
            }
            Type::Model(_) | Type::Json | Type::Map(_) => {
                let v = self.owned_value(krate, &p.ty);
                quote!(&#v)
            }
            ty => self.owned_value(krate, ty),
        }
    }

    /// An expression of the owned type (or one that converts `Into` it).
    fn owned_value(&self, krate: &proc_macro2::Ident, ty: &Type) -> TokenStream {
        match ty {
            Type::Bool => quote!(true),
            Type::I32 => quote!(1i32),
            Type::I64 => quote!(1i64),
            Type::U32 => quote!(1u32),
            Type::U64 => quote!(1u64),
            Type::F32 => quote!(1.5f32),
            Type::F64 => quote!(1.5f64),
            Type::String | Type::Base64 | Type::Bytes => quote!("sample"),
            Type::Vec(inner) => {
                let items = self.items(krate, inner);
                quote!([#(#items),*])
            }
            _ => {
                let t = rebase(crate::emit::types::owned(ty, crate::emit::types::Place::Crate), krate);
                let sample = self.json(ty, 0, 0).to_string();
                quote!(serde_json::from_str::<#t>(#sample).expect("sample decodes"))
            }
        }
    }

    /// Two items of an array parameter (two different enum values where the
    /// enum has them).
    fn items(&self, krate: &proc_macro2::Ident, inner: &Type) -> Vec<TokenStream> {
        match inner {
            Type::Model(name) => match self.models.get(name.as_str()) {
                Some(ModelKind::Enum { variants, .. }) => variants
                    .iter()
                    .cycle()
                    .take(2)
                    .map(|v| {
                        let t = ident(name);
                        let wire = v.wire.as_str();
                        quote!(#krate::models::#t::from(#wire))
                    })
                    .collect(),
                _ => vec![self.owned_value(krate, inner), self.owned_value(krate, inner)],
            },
            Type::String | Type::Base64 => vec![quote!("sample-a"), quote!("sample-b")],
            _ => vec![self.owned_value(krate, inner), self.owned_value(krate, inner)],
        }
    }

    /// A JSON sample of a type: every field set, arrays of two items.
    /// `depth` bounds recursion through messages.
    fn json(&self, ty: &Type, depth: usize, nth: usize) -> Value {
        match ty {
            Type::Bool => json!(true),
            Type::I32 | Type::I64 | Type::U32 | Type::U64 => json!(1),
            Type::F32 | Type::F64 => json!(1.5),
            Type::String | Type::Bytes => json!("sample"),
            Type::Base64 => json!("c2FtcGxl"),
            Type::Json => json!({}),
            Type::Vec(inner) => json!([self.json(inner, depth, 0), self.json(inner, depth, 1)]),
            Type::Map(inner) => json!({ "key": self.json(inner, depth, 0) }),
            Type::Model(name) => match self.models.get(name.as_str()) {
                Some(ModelKind::Enum { variants, .. }) => {
                    json!(variants.get(nth % variants.len().max(1)).map(|v| v.wire.clone()).unwrap_or_default())
                }
                Some(ModelKind::Alias(inner)) => self.json(inner, depth, nth),
                // Every field down to `FULL_DEPTH`, then required fields
                // only (the document's validator asks for them at any
                // depth), down to `REQUIRED_DEPTH`, which bounds recursion.
                Some(ModelKind::Struct { fields, .. }) => {
                    let mut obj = serde_json::Map::new();
                    for f in fields {
                        let wanted = depth < FULL_DEPTH || (depth < REQUIRED_DEPTH && f.listed_required);
                        if wanted {
                            obj.insert(f.wire_name.clone(), self.json(&f.ty, depth + 1, 0));
                        }
                    }
                    Value::Object(obj)
                }
                Some(ModelKind::OneOf { variants, .. }) => match variants.first() {
                    Some((_, first)) => self.json(first, depth + 1, 0),
                    None => json!({}),
                },
                None => json!({}),
            },
        }
    }
}

/// Model paths in emitted code say `crate::`; the suite lives outside the
/// crate, so it names the crate.
fn rebase(tokens: TokenStream, krate: &proc_macro2::Ident) -> TokenStream {
    tokens
        .into_iter()
        .map(|tt| match tt {
            proc_macro2::TokenTree::Ident(i) if i == "crate" => proc_macro2::TokenTree::Ident(krate.clone()),
            proc_macro2::TokenTree::Group(g) => {
                let mut ng = proc_macro2::Group::new(g.delimiter(), rebase(g.stream(), krate));
                ng.set_span(g.span());
                proc_macro2::TokenTree::Group(ng)
            }
            other => other,
        })
        .collect()
}
