//! The command line's table of operations: for each module, a static
//! description of every operation (its name on the command line, method,
//! path, parameters with their kinds and allowed values, body and answer
//! types), which the `drun` binary (`cli/`) turns into commands.
//!
//! Data rather than code: the binary builds the clap commands of the one
//! operation it runs from this table, so starting up costs the same with
//! one module or all of them, and the MCP server reads the same table. The
//! only per-operation code is a function pointer each for the body and the
//! answer, which read them through the module crate's own types (so a body
//! is checked, and an answer decoded, exactly as the client does).

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Error;
use crate::ir::{Api, ArrayStyle, BodyEncoding, ModelKind, Operation, Param, ResponseKind, Type};

/// The options the binary defines on every command. A parameter whose flag
/// would be one of them gets a `param-` prefix instead (the binary's tests
/// check that this list covers its options).
pub const RESERVED_FLAGS: &[&str] = &[
    "all", "base-url", "body", "cacert", "columns", "dry-run", "help", "insecure", "output", "profile", "verbose",
    "version",
];

/// One module of the family, as the table's index names it.
#[derive(Debug, Clone)]
pub struct CliModule {
    /// The module's name (`mcamel-kafka`): its command.
    pub module: String,
    /// The Rust module of its table file (`mcamel_kafka`).
    pub file: String,
}

/// The table file of one module: `static MODULE: Module`. `krate` is the
/// module crate's Rust name (`drun_ghippo`); `title` the module's name in
/// English, when the configuration gives one.
pub fn module_table(api: &Api, module: &str, krate: &str, title: Option<&str>) -> Result<String, Error> {
    let krate: TokenStream = krate.parse().map_err(|_| Error::internal(format!("`{krate}` is not a crate name")))?;
    let tags = api.tags.iter().map(|tag| {
        let name = tag_command(tag);
        let title = tag.name.as_str();
        let about = one_line(tag.description.as_deref().unwrap_or(""));
        let ops = tag.operations.iter().map(|op| operation(api, &krate, op));
        quote! {
            Tag { name: #name, title: #title, about: #about, operations: &[ #( #ops ),* ] }
        }
    });
    let doc_title = api.title.as_str();
    let english = title.unwrap_or("");
    let mut models: Vec<&crate::ir::Model> = api.models.iter().collect();
    models.sort_by(|a, b| a.name.cmp(&b.name));
    let schemas = models.iter().map(|m| {
        let name = m.name.as_str();
        let schema = model_schema(api, m).to_string();
        quote!((#name, #schema))
    });
    let about = format!(" The `{module}` module's operations, for the command line.");
    let tokens = quote! {
        #![doc = #about]
        use crate::table::*;

        /// The module and every operation of it.
        pub static MODULE: Module = Module {
            name: #module,
            title: #english,
            document_title: #doc_title,
            tags: &[ #( #tags ),* ],
            schemas: &[ #( #schemas ),* ],
        };
    };
    Ok(header() + &super::print_items("cli table", tokens)?)
}

/// The index of the table: every module, in order.
pub fn index(modules: &[CliModule]) -> Result<String, Error> {
    let mods = modules.iter().map(|m| super::ident(&m.file));
    let refs = modules.iter().map(|m| {
        let file = super::ident(&m.file);
        quote!(&#file::MODULE)
    });
    let tokens = quote! {
        //! Every module's table of operations.
        #( mod #mods; )*

        /// The modules, sorted by name.
        pub static MODULES: &[&crate::table::Module] = &[ #( #refs ),* ];
    };
    Ok(header() + &super::print_items("cli index", tokens)?)
}

fn header() -> String {
    crate::write::RUST_MARKER.to_owned()
        + ": do not edit by hand.\n\
     // Source: the family configuration (specs/drun.yaml) and each module's document.\n\
     // Change the generator or the documents instead, and regenerate.\n\n"
}

fn operation(api: &Api, krate: &TokenStream, op: &Operation) -> TokenStream {
    let name = command_name(op);
    let id = op.id.as_str();
    let method = super::ident(&upper_camel(&op.method));
    let path = op.path.as_str();
    let summary = one_line(op.summary.as_deref().unwrap_or(""));
    let description = op.description.as_deref().unwrap_or("").trim();
    let deprecated = op.deprecated;
    let (pieces, names) = (&op.template.pieces, &op.template.names);
    let segments = pieces.iter().enumerate().flat_map(|(i, piece)| {
        let literal = (!piece.is_empty()).then(|| quote!(Segment::Literal(#piece)));
        let param = names.get(i).map(|n| quote!(Segment::Param(#n)));
        literal.into_iter().chain(param)
    });
    let params = op
        .path_params
        .iter()
        .map(|p| (p, quote!(Path)))
        .chain(op.query_params.iter().map(|p| (p, quote!(Query))))
        .chain(op.header_params.iter().map(|p| (p, quote!(Header))))
        .map(|(p, location)| param(api, p, &location));
    let body = if let Some(body) = &op.body {
        let type_name = body.ty.display_name();
        let media = body.media_type.as_str();
        let ty = rebased(&body.ty, krate);
        let encode = match body.encoding {
            BodyEncoding::Json => quote!(Encode::Json(crate::body::json::<#ty>)),
            BodyEncoding::Form => quote!(Encode::Form(crate::body::form::<#ty>)),
            BodyEncoding::Multipart => quote!(Encode::Multipart(crate::body::multipart::<#ty>)),
            BodyEncoding::Bytes | BodyEncoding::Text => quote!(Encode::Raw),
        };
        let schema = type_schema(api, &body.ty).to_string();
        quote!(Some(Body { type_name: #type_name, media_type: #media, encode: #encode, schema: #schema }))
    } else {
        quote!(None)
    };
    let response = match &op.response {
        ResponseKind::Json(ty) => {
            let type_name = ty.display_name();
            let rust = rebased(ty, krate);
            let schema = type_schema(api, ty).to_string();
            quote!(Answer::Json {
                type_name: #type_name,
                schema: #schema,
                read: drun_runtime::request::ResponseBody::checked_json::<#rust>,
            })
        }
        ResponseKind::Text => quote!(Answer::Text),
        ResponseKind::Bytes => quote!(Answer::Bytes),
        ResponseKind::Empty => quote!(Answer::Empty),
    };
    let paging = if let Some([page, page_size, items, pagination, total]) = paging(api, op) {
        quote! {
            Some(Paging { page: #page, page_size: #page_size, items: #items, pagination: #pagination, total: #total })
        }
    } else {
        quote!(None)
    };
    quote! {
        Operation {
            name: #name,
            id: #id,
            method: Method::#method,
            path: #path,
            segments: &[ #( #segments ),* ],
            summary: #summary,
            description: #description,
            deprecated: #deprecated,
            params: &[ #( #params ),* ],
            body: #body,
            answer: #response,
            paging: #paging,
        }
    }
}

/// A parameter's flag (`--page-size`, without the dashes), or its value's
/// name when it is a path parameter: the method argument's name in kebab
/// case, prefixed `param-` where the binary has an option of that name.
pub fn flag_name(p: &Param) -> String {
    let flag = kebab(p.rust_name.trim_start_matches("r#").trim_end_matches('_'));
    if RESERVED_FLAGS.contains(&flag.as_str()) { format!("param-{flag}") } else { flag }
}

/// An operation's command (`list-users`).
pub fn command_name(op: &Operation) -> String {
    kebab(&op.fn_name)
}

/// A tag's command (`notebook-service`).
pub fn tag_command(tag: &crate::ir::TagModule) -> String {
    kebab(&tag.module)
}

fn param(api: &Api, p: &Param, location: &TokenStream) -> TokenStream {
    let name = p.wire_name.as_str();
    let flag = flag_name(p);
    let required = p.required;
    let description = one_line(p.description.as_deref().unwrap_or(""));
    let (list, item) = match &p.ty {
        Type::Vec(inner) => {
            let style = match p.style {
                ArrayStyle::Multi | ArrayStyle::DeepObject => quote!(Repeat),
                ArrayStyle::Comma => quote!(Joined(",")),
                ArrayStyle::Space => quote!(Joined(" ")),
                ArrayStyle::Pipe => quote!(Joined("|")),
            };
            (quote!(Some(List::#style)), &**inner)
        }
        ty => (quote!(None), ty),
    };
    let (kind, values) = kind(api, item, p.style == ArrayStyle::DeepObject);
    quote! {
        Param {
            name: #name,
            flag: #flag,
            location: Location::#location,
            required: #required,
            kind: Kind::#kind,
            list: #list,
            values: &[ #( #values ),* ],
            description: #description,
        }
    }
}

/// A scalar's kind on the command line, and its allowed values (an enum's).
fn kind(api: &Api, ty: &Type, deep: bool) -> (TokenStream, Vec<String>) {
    let kind = match ty {
        Type::Bool => quote!(Bool),
        Type::I32 => quote!(I32),
        Type::I64 => quote!(I64),
        Type::U32 => quote!(U32),
        Type::U64 => quote!(U64),
        Type::F32 | Type::F64 => quote!(Float),
        Type::String | Type::Base64 | Type::Bytes => quote!(Text),
        Type::Json | Type::Map(_) | Type::Vec(_) => quote!(Object { deep: #deep }),
        Type::Model(name) => match api.model(name).map(|m| &m.kind) {
            Some(ModelKind::Enum { variants, .. }) => {
                return (quote!(Text), variants.iter().map(|v| v.wire.clone()).collect());
            }
            Some(ModelKind::Alias(inner)) => return kind(api, inner, deep),
            Some(ModelKind::Struct { .. }) => quote!(Object { deep: #deep }),
            // A union of scalars is written as the text of its value.
            Some(ModelKind::OneOf { .. }) | None => quote!(Text),
        },
    };
    (kind, Vec::new())
}

/// The wire names of a paged list's page and size parameters, its items,
/// pagination and total fields.
fn paging(api: &Api, op: &Operation) -> Option<[String; 5]> {
    let paging = op.paging.as_ref()?;
    let wire_param = |rust: &str| op.query_params.iter().find(|p| p.rust_name == rust).map(|p| p.wire_name.clone());
    let fields = |model: &str| match api.model(model).map(|m| &m.kind) {
        Some(ModelKind::Struct { fields, .. }) => Some(fields),
        _ => None,
    };
    let response = fields(&paging.response)?;
    let wire_field = |fields: &[crate::ir::Field], rust: &str| fields.iter().find(|f| f.rust_name == rust).cloned();
    let items = wire_field(response, &paging.items_field)?;
    let pagination = wire_field(response, &paging.pagination_field)?;
    let Type::Model(pagination_model) = &pagination.ty else { return None };
    let total = wire_field(fields(pagination_model)?, &paging.total_field)?;
    Some([
        wire_param(&paging.page_param)?,
        wire_param(&paging.size_param)?,
        items.wire_name,
        pagination.wire_name,
        total.wire_name,
    ])
}

/// A type's JSON Schema, as it travels: models by `$ref` to the module's
/// `schemas` (`#/$defs/<name>`), 64-bit integers as protojson strings.
fn type_schema(api: &Api, ty: &Type) -> serde_json::Value {
    use serde_json::json;
    match ty {
        Type::Bool => json!({"type": "boolean"}),
        Type::I64 | Type::U64 if api.protojson => json!({"type": "string", "pattern": "^-?[0-9]+$"}),
        Type::I32 | Type::U32 | Type::I64 | Type::U64 => json!({"type": "integer"}),
        Type::F32 | Type::F64 => json!({"type": "number"}),
        Type::String => json!({"type": "string"}),
        Type::Base64 => json!({"type": "string", "contentEncoding": "base64"}),
        Type::Bytes => json!({"type": "string", "format": "binary"}),
        Type::Json => json!({}),
        Type::Model(name) => json!({"$ref": format!("#/$defs/{name}")}),
        Type::Vec(inner) => json!({"type": "array", "items": type_schema(api, inner)}),
        Type::Map(inner) => json!({"type": "object", "additionalProperties": type_schema(api, inner)}),
    }
}

/// A model's JSON Schema.
fn model_schema(api: &Api, model: &crate::ir::Model) -> serde_json::Value {
    use serde_json::json;
    let mut schema = match &model.kind {
        ModelKind::Struct { fields, additional } => {
            let properties: serde_json::Map<String, serde_json::Value> = fields
                .iter()
                .map(|f| {
                    let mut field = type_schema(api, &f.ty);
                    if let (Some(doc), Some(object)) = (&f.doc, field.as_object_mut()) {
                        object.insert("description".to_owned(), one_line(doc).into());
                    }
                    (f.wire_name.clone(), field)
                })
                .collect();
            let mut object = json!({"type": "object", "properties": properties});
            if let Some(extra) = additional {
                object["additionalProperties"] = type_schema(api, extra);
            }
            object
        }
        ModelKind::Enum { variants, .. } => {
            json!({"type": "string", "enum": variants.iter().map(|v| v.wire.clone()).collect::<Vec<_>>()})
        }
        ModelKind::Alias(ty) => type_schema(api, ty),
        ModelKind::OneOf { variants, .. } => {
            json!({"oneOf": variants.iter().map(|(_, ty)| type_schema(api, ty)).collect::<Vec<_>>()})
        }
    };
    if let (Some(doc), Some(object)) = (&model.doc, schema.as_object_mut()) {
        object.insert("description".to_owned(), one_line(doc).into());
    }
    schema
}

/// The type as the table names it: the module crate's path.
fn rebased(ty: &Type, krate: &TokenStream) -> TokenStream {
    let text = super::types::owned_text(ty, super::types::Place::Crate).replace("crate::", &format!("{krate}::"));
    text.parse().unwrap_or_else(|_| {
        let message = format!("internal error of the generator: the type `{text}` does not lex");
        quote!(::core::compile_error!(#message))
    })
}

/// `list_users` -> `list-users`.
fn kebab(snake: &str) -> String {
    snake.replace('_', "-")
}

/// `GET` -> `Get`.
fn upper_camel(method: &str) -> String {
    let lower = method.to_ascii_lowercase();
    let mut chars = lower.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ArrayStyle, Param, Type};

    fn param(rust_name: &str) -> Param {
        Param {
            wire_name: rust_name.to_owned(),
            rust_name: rust_name.to_owned(),
            ty: Type::String,
            required: false,
            description: None,
            style: ArrayStyle::Multi,
        }
    }

    #[test]
    fn flags_are_kebab_case_and_clear_of_the_binarys_options() {
        assert_eq!(flag_name(&param("page_size")), "page-size");
        assert_eq!(flag_name(&param("type_")), "type");
        assert_eq!(flag_name(&param("r#match")), "match");
        assert_eq!(flag_name(&param("output")), "param-output");
        assert_eq!(flag_name(&param("all")), "param-all");
    }
}
