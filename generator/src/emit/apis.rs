//! `src/apis/`: one module per tag, one method per operation, returning a
//! future (the generated crate's `Call`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc_attrs};
use super::types::{Place, borrowed, owned};
use super::{Context, ident};
use crate::error::Error;
use crate::ir::{ArrayStyle, BodyEncoding, Framing, KeptNames, Operation, Param, ResponseKind, Tag, Type};

/// The names the emitted methods (and page helpers and mocks) keep for
/// themselves: the model names parameters around them. A test of the
/// generator's inputs holds the emitted code to these locals.
pub const KEPT_NAMES: KeptNames<'static> = KeptNames {
    arguments: &["body", "params", "self"],
    locals: &["request", "api", "form", "item", "value", "page_number", "client"],
};

/// `apis/mod.rs`: the tag modules and the client's accessor for each.
pub(crate) fn mod_rs(ctx: &Context<'_>) -> TokenStream {
    let modules = ctx.api.tags.iter().map(|t| {
        let module = ident(&t.module);
        let doc = format!(" Operations tagged `{}`.", t.name);
        quote!(#[doc = #doc] pub mod #module;)
    });
    let entry = ident(&super::crate_root::entry_type(&ctx.config.module_name()));
    let accessors = ctx.api.tags.iter().map(|t| {
        let module = ident(&t.module);
        let ty = ident(&t.type_name);
        let doc = format!(" Operations tagged `{}`.", t.name);
        quote! {
            #[doc = #doc]
            pub fn #module(&self) -> #module::#ty<'a> {
                #module::#ty::new(self.client)
            }
        }
    });
    quote! {
        //! The API's operations, one module per tag.
        #( #modules )*

        impl<'a> crate::#entry<'a> {
            #( #accessors )*
        }
    }
}

/// One tag's module.
pub(crate) fn tag_rs(ctx: &Context<'_>, tag: &Tag) -> Result<TokenStream, Error> {
    let ty = ident(&tag.type_name);
    let mut module_doc_lines = vec![format!(" Operations tagged `{}`.", tag.name)];
    if let Some(d) = &tag.description {
        module_doc_lines.push(String::new());
        module_doc_lines.extend(super::docs::sanitize(d));
    }
    let module_doc = module_doc_lines;
    let entry = super::crate_root::entry_type(&ctx.config.module_name());
    let struct_doc = format!(
        " Operations tagged `{}`, reached through [`{entry}::{}`](crate::{entry}::{}).",
        tag.name, tag.module, tag.module
    );
    let mut methods = Vec::new();
    let mut params_structs = Vec::new();
    for op in &tag.operations {
        methods.push(method(ctx, tag, op)?);
        if let Some(s) = params_struct(op)? {
            params_structs.push(s);
        }
    }
    Ok(quote! {
        #( #![doc = #module_doc] )*

        #[doc = #struct_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #ty<'a> {
            client: &'a crate::Client,
        }

        impl<'a> #ty<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }

            #( #methods )*
        }

        #( #params_structs )*
    })
}

/// One operation's method (and its pages helper, when it is paged).
fn method(ctx: &Context<'_>, tag: &Tag, op: &Operation) -> Result<TokenStream, Error> {
    let tag_name = tag.name.as_str();
    let fn_name = ident(&op.fn_name);
    let op_id = op.id.as_str();
    let method = ident(&op.method);
    let positional: Vec<&Param> = op.positional_params().collect();
    let doc_tokens = method_docs(op, &positional);
    let args = arguments(op, &positional);
    // The path, with each parameter percent-encoded as one segment.
    let path = path_statements(ctx, op)?;
    let query = op.query_params.iter().map(|p| push(ctx, op, p, Target::Query)).collect::<Result<Vec<_>, _>>()?;
    let headers = op.header_params.iter().map(|p| push(ctx, op, p, Target::Headers)).collect::<Result<Vec<_>, _>>()?;
    let body = body_statement(ctx, op)?;
    let accept = match &op.response {
        ResponseKind::Json(_) => None,
        ResponseKind::Text => Some(quote!(request.accept = "text/plain, */*";)),
        ResponseKind::Bytes | ResponseKind::Empty => Some(quote!(request.accept = "*/*";)),
        ResponseKind::Stream(stream) => stream_accept(stream),
    };
    let (ret, send) = match &op.response {
        ResponseKind::Json(ty) => {
            (call_of(owned(ty, Place::Crate)), quote!(self.client.call(request, crate::request::ResponseBody::json)))
        }
        ResponseKind::Text => {
            (call_of(quote!(String)), quote!(self.client.call(request, crate::request::ResponseBody::text)))
        }
        ResponseKind::Bytes => (
            call_of(quote!(crate::bytes::Bytes)),
            quote!(self.client.call(request, crate::request::ResponseBody::bytes)),
        ),
        ResponseKind::Empty => {
            (call_of(quote!(())), quote!(self.client.call(request, crate::request::ResponseBody::empty)))
        }
        ResponseKind::Stream(stream) => stream_of(stream),
    };
    let pages = op.paging.as_ref().map(|paging| {
        let answer = if let ResponseKind::Json(ty) = &op.response { owned(ty, Place::Crate) } else { quote!(()) };
        pages_method(op, paging, &positional, &args[..positional.len()], &answer)
    });
    let request = |accept: Option<TokenStream>| {
        quote! {
            let mut request = crate::request::RequestParts::new(#op_id, #tag_name, crate::reqwest::Method::#method);
            #path
            #accept
            #( #query )*
            #( #headers )*
            #body
        }
    };
    let main_request = request(accept);
    // The same request, its answer asked for as server-sent events.
    let events = op.events.as_ref().map(|events| {
        let events_fn = ident(&events.fn_name);
        let request = request(stream_accept(&events.stream));
        let (ret, send) = stream_of(&events.stream);
        let doc = format!(
            " [`{}`](Self::{}), its answer as server-sent events, each decoded as it arrives. \
             Ask the API for a stream where its request says how (a `stream` field, say).",
            op.fn_name, op.fn_name
        );
        let route = format!(" `{} {}` (operation `{}`), `Accept: text/event-stream`.", op.method, op.path, op.id);
        quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = #route]
            #[inline]
            pub fn #events_fn(&self, #(#args),*) -> #ret {
                #request
                #send
            }
        }
    });
    // `#[inline]`: an application builds the methods it calls, not all of
    // them (each one names its response type's decoder, which would
    // otherwise be compiled for every operation of the API).
    Ok(quote! {
        #doc_tokens
        #[inline]
        pub fn #fn_name(&self, #(#args),*) -> #ret {
            #main_request
            #send
        }

        #events

        #pages
    })
}

/// `crate::Call<'a, T>`.
fn call_of(answer: TokenStream) -> TokenStream {
    quote!(crate::Call<'a, #answer>)
}

/// A stream's return type and the expression that starts it.
fn stream_of(stream: &crate::ir::Stream) -> (TokenStream, TokenStream) {
    let (message, decode) = match &stream.message {
        Some(ty) => (owned(ty, Place::Crate), quote!(json)),
        None => (quote!(String), quote!(text)),
    };
    let framing = match stream.framing {
        Framing::JsonLines => quote!(JsonLines),
        Framing::ServerSentEvents => quote!(ServerSentEvents),
    };
    (
        quote!(crate::Stream<'a, #message>),
        quote!(self.client.stream(request, crate::stream::Framing::#framing, crate::stream::#decode)),
    )
}

/// The `Accept` header a stream asks with (JSON lines are JSON, the
/// default).
fn stream_accept(stream: &crate::ir::Stream) -> Option<TokenStream> {
    (stream.framing == Framing::ServerSentEvents).then(|| quote!(request.accept = "text/event-stream";))
}

/// A method's docs: summary, description, then where it goes and its
/// described arguments; `deprecated` and the lint its many arguments need.
fn method_docs(op: &Operation, positional: &[&Param]) -> TokenStream {
    let mut doc = String::new();
    for part in [&op.summary, &op.description].into_iter().flatten() {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(part);
    }
    let mut doc_tokens = doc_attrs(&doc);
    if !doc.is_empty() {
        doc_tokens.extend(quote!(#[doc = ""]));
    }
    let route = format!(" {} (operation {}).", code(&format!("{} {}", op.method, op.path)), code(&op.id));
    doc_tokens.extend(quote!(#[doc = #route]));
    let described: Vec<String> = positional
        .iter()
        .filter_map(|p| p.description.as_ref().map(|d| format!("- `{}`: {}", p.rust_name, single_line(d))))
        .collect();
    if !described.is_empty() {
        doc_tokens.extend(quote!(#[doc = ""] #[doc = " # Arguments"] #[doc = ""]));
        for line in described {
            let line = format!(" {}", line.replace('[', "\\[").replace(']', "\\]").replace('<', "\\<"));
            doc_tokens.extend(quote!(#[doc = #line]));
        }
    }
    if op.deprecated {
        doc_tokens.extend(quote!(#[deprecated]));
    }
    // The document decides how many required parameters an operation has;
    // each is an argument so that the compiler enforces it.
    let many = positional.len() + usize::from(op.body.is_some()) + usize::from(op.params_struct.is_some()) + 1 > 7;
    if many {
        doc_tokens.extend(quote!(#[allow(clippy::too_many_arguments)]));
    }
    doc_tokens
}

/// A method's arguments: the positional parameters, the body, the
/// optional parameters' struct.
fn arguments(op: &Operation, positional: &[&Param]) -> Vec<TokenStream> {
    let mut args = Vec::new();
    for p in positional {
        let name = ident(&p.rust_name);
        let ty = borrowed(&p.ty);
        args.push(quote!(#name: #ty));
    }
    if let Some(body) = &op.body {
        let ty = match body.encoding {
            BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => borrowed(&body.ty),
            BodyEncoding::Text => quote!(impl Into<String>),
            BodyEncoding::Bytes => quote!(impl Into<crate::bytes::Bytes>),
        };
        args.push(quote!(body: #ty));
    }
    if let Some(s) = &op.params_struct {
        let s = ident(s);
        args.push(quote!(params: &#s));
    }
    args
}

/// The statement that sets the request's body, if the operation takes one.
fn body_statement(ctx: &Context<'_>, op: &Operation) -> Result<Option<TokenStream>, Error> {
    Ok(match &op.body {
        None => None,
        Some(b) => {
            let media = b.media_type.as_str();
            Some(match b.encoding {
                BodyEncoding::Json => quote!(request.json_body(#media, body);),
                BodyEncoding::Text => {
                    quote!(request.body = Some((#media.into(), crate::bytes::Bytes::from(body.into())));)
                }
                BodyEncoding::Bytes => quote!(request.body = Some((#media.into(), body.into()));),
                BodyEncoding::Form | BodyEncoding::Multipart => form_body(ctx, op, b)?,
            })
        }
    })
}

/// `<operation>_pages`: the operation's pages, one call each, with the
/// caller's arguments kept (owned by the closure that asks for each page).
fn pages_method(
    op: &Operation,
    paging: &crate::ir::Paging,
    positional: &[&Param],
    args: &[TokenStream],
    ret: &TokenStream,
) -> TokenStream {
    let fn_name = ident(&op.fn_name);
    let pages_name = ident(&format!("{}_pages", op.fn_name));
    let page = ident(&paging.page_param);
    let size = ident(&paging.size_param);
    let params_ty = ident(op.params_struct.as_deref().unwrap_or_default());
    let mut owned = Vec::new();
    let mut passed = Vec::new();
    for p in positional {
        let name = ident(&p.rust_name);
        match &p.ty {
            ty if super::types::is_borrowed(ty) => {
                owned.push(quote!(let #name = #name.to_owned();));
                passed.push(quote!(&#name));
            }
            Type::Bytes => passed.push(quote!(#name.clone())),
            _ => passed.push(quote!(#name)),
        }
    }
    let page_value = match paging.page_ty {
        Type::I64 => quote!(i64::from(page_number)),
        Type::U32 => quote!(page_number.unsigned_abs()),
        Type::U64 => quote!(u64::from(page_number.unsigned_abs())),
        _ => quote!(page_number),
    };
    let doc = [
        format!(" Every page of [`{}`](Self::{}): pages 1, 2, 3... with `params`'", op.fn_name, op.fn_name),
        " other settings (a page size of 100 unless it sets one), until the answer's".to_owned(),
        " total is reached or a page is empty. See [`Pages`](crate::Pages): `.items()`".to_owned(),
        " streams the items, `.collect()` gathers them.".to_owned(),
    ];
    // As for the operation: the document decides how many arguments.
    let many = (positional.len() + 2 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // A deprecated operation's helper is deprecated too, and may call it.
    let deprecated = op.deprecated.then(|| quote!(#[deprecated] #[allow(deprecated)]));
    quote! {
        #( #[doc = #doc] )*
        #many
        #deprecated
        #[inline]
        pub fn #pages_name(&self, #(#args,)* params: &#params_ty) -> crate::Pages<'a, #ret> {
            let api = *self;
            #( #owned )*
            let params = params.clone();
            crate::Pages::new(move |page_number| {
                let mut params = params.clone();
                params.#page = Some(#page_value);
                params.#size = params.#size.or(Some(100));
                api.#fn_name(#(#passed,)* &params)
            })
        }
    }
}

/// `src/pages.rs`: how each paged list's answer gives its items and total.
pub(crate) fn pages_rs(ctx: &Context<'_>) -> Option<TokenStream> {
    let mut seen = std::collections::BTreeMap::new();
    for op in ctx.api.tags.iter().flat_map(|t| &t.operations) {
        if let Some(p) = &op.paging {
            seen.entry(p.response.clone()).or_insert_with(|| p.clone());
        }
    }
    if seen.is_empty() {
        return None;
    }
    let impls = seen.values().map(|p| {
        let response = owned(&Type::Model(p.response.clone()), Place::Crate);
        let item = owned(&p.item, Place::Crate);
        let items = ident(&p.items_field);
        let pagination = ident(&p.pagination_field);
        let total = ident(&p.total_field);
        // Without protojson's zero values a field may be absent: no items
        // are none, and no total is unknown.
        let (all, count) = if p.items_optional {
            (quote! { self.#items.unwrap_or_default() }, quote! { self.#items.as_ref().map_or(0, Vec::len) })
        } else {
            (quote! { self.#items }, quote! { self.#items.len() })
        };
        let total = if p.total_optional {
            quote! { self.#pagination.as_ref().and_then(|p| p.#total).and_then(|t| u64::try_from(t).ok()) }
        } else {
            quote! { self.#pagination.as_ref().and_then(|p| u64::try_from(p.#total).ok()) }
        };
        quote! {
            impl crate::Page for #response {
                type Item = #item;

                fn into_items(self) -> Vec<Self::Item> {
                    #all
                }

                fn total(&self) -> Option<u64> {
                    #total
                }

                fn len(&self) -> usize {
                    #count
                }
            }
        }
    });
    Some(quote! {
        //! How each paged list's answer gives its items and its total, for
        //! the `<operation>_pages` helpers.

        #( #impls )*
    })
}

/// Statements writing a form or multipart body field by field: an object's
/// fields, or for a union of objects (one form per variant, as an OAuth
/// token endpoint has per grant type) the fields of the variant given.
fn form_body(ctx: &Context<'_>, op: &Operation, body: &crate::ir::Body) -> Result<TokenStream, Error> {
    let struct_fields = |ty: &Type| match ty {
        Type::Model(name) => ctx.api.model(name).and_then(|m| match &m.kind {
            crate::ir::ModelKind::Struct { fields, .. } => Some(fields),
            _ => None,
        }),
        _ => None,
    };
    let multipart = body.encoding == BodyEncoding::Multipart;
    let writes = if let Some(fields) = struct_fields(&body.ty) {
        form_writes(ctx, fields, multipart)
    } else if let Type::Model(name) = &body.ty
        && let Some(crate::ir::ModelKind::OneOf { variants, .. }) = ctx.api.model(name).map(|m| &m.kind)
        && let Some(forms) =
            variants.iter().map(|(v, ty)| struct_fields(ty).map(|f| (v, f))).collect::<Option<Vec<_>>>()
    {
        let union = super::types::owned(&body.ty, super::types::Place::Crate);
        let arms = forms.iter().map(|(variant, fields)| {
            let variant = ident(variant);
            let writes = form_writes(ctx, fields, multipart);
            quote!(#union::#variant(body) => { #writes })
        });
        quote!(match body { #( #arms )* })
    } else {
        // `ir/validate.rs` refuses such a document first.
        return Err(Error::internal(format!("{}: a form body that is no object reached the emitter", op.pointer)));
    };
    let init = if multipart {
        quote!(let mut form = crate::request::MultipartBody::new();)
    } else {
        quote!(let mut form = crate::request::FormBody::default();)
    };
    Ok(quote! {
        #init
        #writes
        request.body = Some(form.finish());
    })
}

/// Statements writing `body`'s fields into `form`.
fn form_writes(ctx: &Context<'_>, fields: &[crate::ir::Field], multipart: bool) -> TokenStream {
    let writes = fields.iter().map(|f| {
        let wire = f.wire_name.as_str();
        let name = ident(&f.rust_name);
        // Form and multipart bodies share `text`; only multipart has files.
        let one = |v: TokenStream, ty: &Type| -> TokenStream {
            let displayed = match ty {
                Type::Bytes if multipart => return quote!(form.file(#wire, #v);),
                Type::Bool
                | Type::I32
                | Type::I64
                | Type::U32
                | Type::U64
                | Type::F32
                | Type::F64
                | Type::String
                | Type::Base64
                | Type::Json => true,
                model => ctx.api.is_model(model, |k| matches!(k, crate::ir::ModelKind::Enum { .. })),
            };
            if displayed {
                quote!(form.text(#wire, #v);)
            } else {
                quote!(form.text(#wire, &crate::request::JsonText(#v));)
            }
        };
        let (value, ty) = match (&f.ty, f.presence) {
            (Type::Vec(inner), _) if **inner != Type::Bytes || multipart => {
                let each = one(quote!(item), inner);
                let source = if f.presence == crate::ir::Presence::Optional {
                    quote!(body.#name.iter().flatten())
                } else {
                    quote!(&body.#name)
                };
                return quote!(for item in #source { #each });
            }
            (ty, crate::ir::Presence::Optional) => (quote!(value), ty),
            (ty, _) => (quote!(&body.#name), ty),
        };
        let write = one(value, ty);
        if f.presence == crate::ir::Presence::Optional {
            quote!(if let Some(value) = &body.#name { #write })
        } else {
            write
        }
    });
    quote!(#( #writes )*)
}

/// Statements appending the path: its literal pieces, and each parameter
/// as one checked, percent-encoded segment.
fn path_statements(ctx: &Context<'_>, op: &Operation) -> Result<TokenStream, Error> {
    let (pieces, names) = (&op.template.pieces, &op.template.names);
    let mut out = TokenStream::new();
    for (i, piece) in pieces.iter().enumerate() {
        if !piece.is_empty() {
            out.extend(quote!(request.path(#piece);));
        }
        let Some(name) = names.get(i) else { continue };
        let Some(param) = op.path_params.iter().find(|p| &p.wire_name == name) else { continue };
        let arg = ident(&param.rust_name);
        let wire = param.wire_name.as_str();
        if is_object(ctx, &param.ty) {
            // `ir/validate.rs` refuses such a document first.
            return Err(Error::internal(format!("{}: object path parameter `{wire}` reached the emitter", op.pointer)));
        }
        out.extend(if let Type::Vec(_) = &param.ty {
            let sep = separator(param.style);
            quote!(request.segment_joined(#wire, #arg, #sep);)
        } else {
            quote!(request.segment(#wire, &#arg);)
        });
    }
    Ok(out)
}

/// Where [`push`] adds a parameter: the request's `query` or `headers`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Query,
    Headers,
}

/// A statement adding one parameter to `query` or `headers` (the mocks
/// run the same ones to know what a call with a given value sends).
pub(super) fn push(ctx: &Context<'_>, op: &Operation, p: &Param, target: Target) -> Result<TokenStream, Error> {
    let wire = p.wire_name.as_str();
    let name = ident(&p.rust_name);
    let value = if p.required { quote!(#name) } else { quote!(params.#name) };
    let in_query = target == Target::Query;
    let target = if in_query { quote!(request.query) } else { quote!(request.headers) };
    if is_object(ctx, &p.ty) {
        if !in_query {
            // `ir/validate.rs` refuses such a document first.
            return Err(Error::internal(format!(
                "{}: object header parameter `{wire}` reached the emitter",
                op.pointer
            )));
        }
        // `form` + explode: each property its own pair; `deepObject`:
        // `name[property]`.
        let deep = p.style == ArrayStyle::DeepObject;
        return Ok(if p.required {
            quote!(#target.object(#wire, &#value, #deep);)
        } else {
            quote!(if let Some(value) = &#value { #target.object(#wire, value, #deep); })
        });
    }
    // A required list is an argument, already a slice; an optional one a
    // field of the parameters' struct.
    let list = if p.required { quote!(#value) } else { quote!(&#value) };
    Ok(match (&p.ty, p.style) {
        (Type::Vec(_), ArrayStyle::Multi) => quote!(#target.each(#wire, #list);),
        (Type::Vec(_), style) => {
            let sep = separator(style);
            quote!(#target.joined(#wire, #list, #sep);)
        }
        _ if p.required => quote!(#target.one(#wire, &#value);),
        _ => quote!(#target.opt(#wire, #value.as_ref());),
    })
}

/// `text` (generated code written as text) as tokens.
fn tokens(text: &str) -> Result<TokenStream, Error> {
    text.parse().map_err(|e| Error::internal(format!("generated code `{text}` does not lex: {e}")))
}

/// What joins an array parameter's items in one value.
pub(super) fn separator(style: ArrayStyle) -> &'static str {
    match style {
        ArrayStyle::Space => " ",
        ArrayStyle::Pipe => "|",
        _ => ",",
    }
}

/// Whether a parameter's type is an object (a struct model or a map),
/// which is written property by property rather than as one value.
fn is_object(ctx: &Context<'_>, ty: &Type) -> bool {
    match ty {
        Type::Map(_) => true,
        model => ctx.api.is_model(model, |k| matches!(k, crate::ir::ModelKind::Struct { .. })),
    }
}

fn single_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The struct of an operation's optional parameters, with a setter each.
fn params_struct(op: &Operation) -> Result<Option<TokenStream>, Error> {
    let Some(name) = op.params_struct.as_deref().map(ident) else { return Ok(None) };
    let optional: Vec<&Param> = op.optional_params().collect();
    let fields = optional.iter().map(|p| {
        let n = ident(&p.rust_name);
        let ty = owned(&p.ty, Place::Crate);
        let ty = if matches!(p.ty, Type::Vec(_)) { ty } else { quote!(Option<#ty>) };
        let wire = format!(" Sent as {}.", code(&p.wire_name));
        // The description, then a blank line, when there is one: no doc
        // opens with an empty line.
        let doc = match p.description.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(text) => {
                let text = doc_attrs(text);
                quote! { #text #[doc = ""] }
            }
            None => quote! {},
        };
        quote! {
            #doc
            #[doc = #wire]
            pub #n: #ty,
        }
    });
    // Arrays are held as they are (empty when unset), the rest in `Option`.
    let setters = optional
        .iter()
        .map(|p| {
            let s = super::setters::setter(&p.rust_name, &p.ty, Place::Crate, false, !matches!(p.ty, Type::Vec(_)));
            let name = ident(&s.name);
            let (arg, assign) = (tokens(&s.arg)?, tokens(&s.assign)?);
            let doc = s.doc;
            Ok(quote! {
                #[doc = #doc]
                pub fn #name(mut self, #arg) -> Self {
                    #assign
                    self
                }
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let doc = format!(" Optional parameters of `{}`; unset ones are not sent.", op.fn_name);
    let example =
        format!(" Build with `{}::default()` and the setters.", op.params_struct.as_deref().unwrap_or_default());
    Ok(Some(quote! {
        #[doc = #doc]
        #[doc = ""]
        #[doc = #example]
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
        }

        impl #name {
            #( #setters )*
        }
    }))
}
