//! `src/mocks/` (feature `mocks`): one function per operation returning the
//! runtime's typed `Expect`, which matches calls of that operation by the
//! typed values of their arguments and answers with its response type.
//! The arguments mirror the client method's; the query and header pairs
//! an argument stands for are written by the same statements the client
//! method runs (`apis::push`), so a mock matches exactly what the client
//! sends.

use proc_macro2::TokenStream;
use quote::quote;

use super::apis::{Target, push, separator};
use super::docs::code;
use super::types::{Place, owned};
use super::{Context, ident};
use crate::error::Error;
use crate::ir::{BodyEncoding, Framing, Operation, ResponseKind, Tag, Type};

/// `mocks/mod.rs`: the tag modules, the runtime's mock types, and an
/// example that is a doc test.
pub(crate) fn mod_rs(ctx: &Context<'_>) -> TokenStream {
    let modules = ctx.api.tags.iter().map(|t| {
        let module = ident(&t.module);
        let doc = format!(" Expected calls of the operations tagged `{}`.", t.name);
        quote!(#[doc = #doc] pub mod #module;)
    });
    let example = example(ctx);
    quote! {
        //! Typed mocks of this module's operations, for the tests of code
        //! that calls it: one function per operation, in a module per tag
        //! as in [`apis`](crate::apis), whose arguments say which calls it
        //! matches ([`Arg::Any`] for any value; a value, or
        //! [`Body::matching`] for a body, to narrow) and which returns an
        //! [`Expect`] to give answers to: typed values, errors, delays,
        //! sequences. [`MockServer::expect`] mounts it on a loopback
        //! server; the server fails the test when a request matches no
        //! expectation, or an expectation is not called as often as it
        //! says.
        #( #![doc = #example] )*

        #( #modules )*

        pub use drun_runtime::mock::{Arg, Body, Expect, Messages, MockServer};
    }
}

/// The module page's example, a doc test: the first operation that takes
/// no argument and answers JSON, mocked and called.
fn example(ctx: &Context<'_>) -> Vec<String> {
    let found = ctx.api.tags.iter().find_map(|tag| {
        tag.operations.iter().find_map(|op| {
            let simple = op.positional_params().next().is_none() && op.body.is_none() && op.params_struct.is_none();
            (simple && !op.deprecated && matches!(op.response, ResponseKind::Json(_))).then_some((tag, op))
        })
    });
    let Some((tag, op)) = found else { return Vec::new() };
    let krate = ctx.config.crate_ident();
    let module = ctx.config.module_name();
    let accessor = super::crate_root::module_method(&module);
    let ext = format!("{}Ext", super::crate_root::entry_type(&module));
    let (t, f) = (&tag.module, &op.fn_name);
    [
        "",
        "```",
        &format!("use {krate}::{ext} as _;"),
        &format!("use {krate}::mocks::{{self, MockServer}};"),
        "",
        "# #[tokio::main(flavor = \"current_thread\")]",
        &format!("# async fn main() -> Result<(), {krate}::Error> {{"),
        "let server = MockServer::start().await;",
        &format!("server.expect(mocks::{t}::{f}().respond(Default::default())).await;"),
        "",
        "let client = server.client_builder().build()?;",
        &format!("let answer = client.{accessor}().{t}().{f}().await?;"),
        "assert_eq!(answer, Default::default());",
        "# Ok(())",
        "# }",
        "```",
    ]
    .iter()
    .map(|line| if line.is_empty() { String::new() } else { format!(" {line}") })
    .collect()
}

/// One tag's mocks.
pub(crate) fn tag_rs(ctx: &Context<'_>, tag: &Tag) -> Result<TokenStream, Error> {
    let module_doc = format!(" Expected calls of the operations tagged `{}`.", tag.name);
    let functions = tag.operations.iter().map(|op| function(ctx, tag, op)).collect::<Result<Vec<_>, _>>()?;
    Ok(quote! {
        #![doc = #module_doc]

        #[allow(unused_imports)]
        use super::{Arg, Body, Expect};
        use drun_runtime::mock::{Piece, Route};

        #( #functions )*
    })
}

/// One operation's mock: an expectation typed by its arguments and answer.
fn function(ctx: &Context<'_>, tag: &Tag, op: &Operation) -> Result<TokenStream, Error> {
    let fn_name = ident(&op.fn_name);
    let Narrowing { args, narrows, arg_docs, body_ty } = narrowing(ctx, tag, op)?;
    let (response, encoding) = match &op.response {
        ResponseKind::Json(ty) => (owned(ty, Place::Crate), quote!(JSON)),
        ResponseKind::Text => (quote!(String), quote!(TEXT)),
        ResponseKind::Bytes => (quote!(crate::bytes::Bytes), quote!(BYTES)),
        ResponseKind::Empty => (quote!(()), quote!(EMPTY)),
        ResponseKind::Stream(stream) => match (&stream.message, stream.framing) {
            (Some(ty), Framing::JsonLines) => {
                let ty = owned(ty, Place::Crate);
                (quote!(drun_runtime::mock::Messages<#ty>), quote!(JSON_LINES))
            }
            (Some(ty), Framing::ServerSentEvents) => {
                let ty = owned(ty, Place::Crate);
                (quote!(drun_runtime::mock::Messages<#ty>), quote!(EVENTS))
            }
            (None, _) => (quote!(drun_runtime::mock::Messages<String>), quote!(TEXT_EVENTS)),
        },
    };
    let body_ty = body_ty.map(|body| quote!(, #body));
    let expect = quote!(Expect<#response #body_ty>);
    let doc = docs(tag, op, arg_docs);
    let many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let operation = op.id.as_str();
    let method = op.method.as_str();
    let template = op.path.as_str();
    let pieces = pieces(op);
    Ok(quote! {
        #( #[doc = #doc] )*
        #many
        pub fn #fn_name(#( #args ),*) -> #expect {
            static ROUTE: Route = Route {
                operation: #operation,
                method: #method,
                template: #template,
                pieces: &[ #( #pieces ),* ],
            };
            Expect::new(&ROUTE, drun_runtime::mock::Encoding::#encoding) #( #narrows )*
        }
    })
}

/// The mock function's arguments, each with what it narrows and its doc
/// line; the JSON body's type, when there is one.
struct Narrowing {
    args: Vec<TokenStream>,
    narrows: Vec<TokenStream>,
    arg_docs: Vec<String>,
    body_ty: Option<TokenStream>,
}

/// An argument per positional parameter, the JSON body and the optional
/// parameters' struct, as the operation's method takes them.
fn narrowing(ctx: &Context<'_>, tag: &Tag, op: &Operation) -> Result<Narrowing, Error> {
    let mut args = Vec::new();
    let mut narrows = Vec::new();
    let mut arg_docs = Vec::new();
    for p in &op.path_params {
        let name = ident(&p.rust_name);
        let ty = owned(&p.ty, Place::Crate);
        let wire = p.wire_name.as_str();
        let text = if let Type::Vec(_) = p.ty {
            let sep = separator(p.style);
            quote!(|v| v.iter().map(ToString::to_string).collect::<Vec<_>>().join(#sep))
        } else {
            quote!(|v| v.to_string())
        };
        args.push(quote!(#name: impl Into<Arg<#ty>>));
        narrows.push(quote!(.path_arg(#wire, #name.into(), #text)));
        arg_docs.push(format!("- `{}`: path parameter `{wire}`.", p.rust_name));
    }
    let required_query = op.query_params.iter().filter(|p| p.required).map(|p| (p, Target::Query));
    let required_headers = op.header_params.iter().filter(|p| p.required).map(|p| (p, Target::Headers));
    for (p, target) in required_query.chain(required_headers) {
        let name = ident(&p.rust_name);
        let ty = owned(&p.ty, Place::Crate);
        let write = push(ctx, op, p, target)?;
        args.push(quote!(#name: impl Into<Arg<#ty>>));
        narrows.push(quote!(.params_arg(#name.into(), |#name, request| { #write })));
        let place = if target == Target::Query { "query" } else { "header" };
        arg_docs.push(format!("- `{}`: {place} parameter `{}`.", p.rust_name, p.wire_name));
    }
    let mut body_ty = None;
    if let Some(body) = &op.body
        && body.encoding == BodyEncoding::Json
    {
        let ty = owned(&body.ty, Place::Crate);
        args.push(quote!(body: impl Into<Body<#ty>>));
        narrows.push(quote!(.json_body(body.into())));
        arg_docs
            .push("- `body`: the JSON body ([`Body::Any`], a value, or [`Body::matching`] a predicate).".to_owned());
        body_ty = Some(ty);
    }
    if let Some(s) = &op.params_struct {
        let s = ident(s);
        let module = ident(&tag.module);
        let writes = op
            .optional_params()
            .map(|p| {
                let target =
                    if op.query_params.iter().any(|q| std::ptr::eq(q, p)) { Target::Query } else { Target::Headers };
                push(ctx, op, p, target)
            })
            .collect::<Result<Vec<_>, _>>()?;
        args.push(quote!(params: impl Into<Arg<crate::apis::#module::#s>>));
        narrows.push(quote!(.params_arg(params.into(), |params, request| { #( #writes )* })));
        arg_docs.push("- `params`: the optional parameters set in it, each sent with that value.".to_owned());
    }
    Ok(Narrowing { args, narrows, arg_docs, body_ty })
}

/// The mock function's docs: what it expects, and its arguments.
fn docs(tag: &Tag, op: &Operation, arg_docs: Vec<String>) -> Vec<String> {
    let route = format!("{} {}", op.method, op.path);
    let mut doc = vec![format!(
        " Expects calls of [`{}`](crate::apis::{}::{}::{}): {} (operation {}).",
        op.fn_name,
        tag.module,
        tag.type_name,
        op.fn_name,
        code(&route),
        code(&op.id)
    )];
    if !arg_docs.is_empty() {
        doc.extend([
            String::new(),
            " Each argument narrows which calls match: [`Arg::Any`] matches any value, a".to_owned(),
            " value only calls that send it.".to_owned(),
            String::new(),
            " # Arguments".to_owned(),
            String::new(),
        ]);
        doc.extend(arg_docs.into_iter().map(|line| format!(" {line}")));
    }
    doc
}

/// The path template as the runtime's pieces: text, then each variable.
fn pieces(op: &Operation) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for (i, piece) in op.template.pieces.iter().enumerate() {
        if !piece.is_empty() {
            out.push(quote!(Piece::Lit(#piece)));
        }
        if let Some(name) = op.template.names.get(i) {
            out.push(quote!(Piece::Var(#name)));
        }
    }
    out
}
