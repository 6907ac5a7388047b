//! Finding operations from a task in plain words ("list the users",
//! "delete a cluster's namespace"): BM25 over each operation's words
//! (its name, tag and module, weighted up; its summary, description and
//! path), with light stemming and a few synonyms for the verbs people use.

use std::collections::HashMap;

use crate::table::{Module, Operation, Tag};

/// One operation found, with where it lives.
pub struct Hit {
    /// Its module.
    pub module: &'static Module,
    /// Its tag.
    pub tag: &'static Tag,
    /// The operation.
    pub op: &'static Operation,
    /// Its score (higher is better).
    pub score: f64,
}

impl Hit {
    /// `module/tag/operation`: how the MCP server names an operation.
    pub fn id(&self) -> String {
        format!("{}/{}/{}", self.module.name, self.tag.name, self.op.name)
    }
}

/// Every operation of the modules, with its words counted.
pub struct Index {
    docs: Vec<Doc>,
    /// In how many documents each word appears.
    df: HashMap<String, usize>,
    average_len: f64,
}

struct Doc {
    module: &'static Module,
    tag: &'static Tag,
    op: &'static Operation,
    /// Word -> weighted count.
    words: HashMap<String, f64>,
    len: f64,
}

/// Words that say nothing about which operation is meant.
const STOP: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "for", "to", "from", "by", "with", "and", "or", "my", "me", "i", "all", "its",
    "it", "is", "are", "be", "this", "that", "which", "what", "how", "do", "does", "please", "some", "any", "into",
    "at", "as", "via", "using", "one", "api", "apis", "io", "v1alpha1", "v1alpha2", "v1alpha3", "v1beta1", "v1", "v2",
    "v3",
];

/// Verbs people use for the ones the API uses.
fn canonical(word: &str) -> &str {
    match word {
        "remove" | "del" | "destroy" | "drop" | "erase" => "delete",
        "add" | "new" | "make" | "provision" => "create",
        "show" | "fetch" | "read" | "retrieve" | "detail" | "details" | "describe" | "info" => "get",
        "enumerate" | "browse" | "find" | "search" | "query" => "list",
        "modify" | "change" | "edit" | "set" | "patch" | "rename" => "update",
        "launch" | "run" | "begin" | "boot" | "resume" => "start",
        "halt" | "shutdown" | "pause" | "suspend" | "terminate" => "stop",
        "ns" => "namespace",
        "vm" | "vms" | "virtual" | "machine" | "virtualmachine" => "vm",
        other => other,
    }
}

/// Lower-case words of `text`, split at anything not alphanumeric and at
/// lower-to-upper case changes, stemmed and canonical.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            let lower = word.to_lowercase();
            let stemmed = stem(lower.trim_end_matches("'s"));
            if !STOP.contains(&stemmed.as_str()) {
                out.push(canonical(&stemmed).to_owned());
            }
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '\'' {
            if c.is_uppercase() && previous_lower {
                flush(&mut word, &mut out);
            }
            previous_lower = c.is_lowercase() || c.is_ascii_digit();
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            previous_lower = false;
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Plural and verb endings off: `clusters` -> `cluster`, `policies` ->
/// `policy`, `listing` -> `list`.
fn stem(word: &str) -> String {
    let word = word.trim_matches('\'');
    if word.len() > 4 && word.ends_with("ies") {
        return format!("{}y", &word[..word.len() - 3]);
    }
    for suffix in ["sses", "ing", "es", "s"] {
        if word.len() > suffix.len() + 2 && word.ends_with(suffix) && !word.ends_with("ss") {
            let base = &word[..word.len() - suffix.len()];
            // `namespaces` -> `namespace`, `statuses` -> `status`.
            return if suffix == "es" && !base.ends_with(['s', 'x', 'h']) {
                format!("{base}e")
            } else {
                base.to_owned()
            };
        }
    }
    word.to_owned()
}

impl Index {
    /// Indexes every operation of `modules`.
    pub fn new(modules: &[&'static Module]) -> Self {
        let mut docs = Vec::new();
        for &module in modules {
            for tag in &module.tags {
                for op in &tag.operations {
                    let mut counted: HashMap<String, f64> = HashMap::new();
                    let mut add = |text: &str, weight: f64| {
                        for word in words(text) {
                            *counted.entry(word).or_default() += weight;
                        }
                    };
                    add(&op.name, 3.0);
                    add(&op.id, 1.0);
                    add(&tag.name, 2.0);
                    add(&tag.title, 1.0);
                    add(&module.name, 1.5);
                    add(&module.title, 1.5);
                    add(&op.summary, 1.5);
                    add(&op.description, 0.5);
                    add(&op.path, 0.5);
                    let len = counted.values().sum();
                    docs.push(Doc { module, tag, op, words: counted, len });
                }
            }
        }
        let mut df: HashMap<String, usize> = HashMap::new();
        for doc in &docs {
            for word in doc.words.keys() {
                *df.entry(word.clone()).or_default() += 1;
            }
        }
        let average_len = docs.iter().map(|d| d.len).sum::<f64>() / docs.len().max(1) as f64;
        Self { docs, df, average_len }
    }

    /// The best `limit` operations for `query`, best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        const K1: f64 = 1.2;
        const B: f64 = 0.75;
        let terms = words(query);
        let n = self.docs.len() as f64;
        let mut hits: Vec<Hit> = self
            .docs
            .iter()
            .filter_map(|doc| {
                let score: f64 = terms
                    .iter()
                    .filter_map(|term| {
                        let tf = *doc.words.get(term)?;
                        let df = *self.df.get(term)? as f64;
                        let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                        Some(idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * doc.len / self.average_len)))
                    })
                    .sum();
                (score > 0.0).then_some(Hit { module: doc.module, tag: doc.tag, op: doc.op, score })
            })
            .collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id().cmp(&b.id())));
        hits.truncate(limit);
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_split_stemmed_and_canonical() {
        assert_eq!(words("ListUsers"), ["list", "user"]);
        assert_eq!(words("delete a cluster's namespaces"), ["delete", "cluster", "namespace"]);
        assert_eq!(words("remove the policies"), ["delete", "policy"]);
        assert_eq!(words("/apis/kpanda.io/v1alpha1/clusters/{cluster}"), ["kpanda", "cluster", "cluster"]);
    }

    /// Tasks in plain words and the operation each means: how often it is
    /// among the first five hits is printed, and must stay at least 80%.
    #[test]
    fn tasks_in_plain_words_find_their_operation() {
        let tasks = [
            ("list the users", "ghippo/users/list-users"),
            ("create a user", "ghippo/users/create-user"),
            ("delete a user's access token", "ghippo/users/delete-user-access-token"),
            ("start a notebook in a workspace", "baize/notebook-service/notebook-do-action"),
            ("delete a notebook", "baize/notebook-service/delete-notebook"),
            ("delete a cluster's namespace", "kpanda/core/delete-namespace"),
            ("list clusters", "kpanda/cluster/list-clusters"),
            ("list workspaces", "ghippo/workspace/list-workspaces"),
            ("list the alerts", "insight/alert/list-alerts"),
            ("get the current user's account", "ghippo/account/get-user"),
            ("create a kafka instance", "mcamel-kafka/kafka-v1alpha2/create-kafka"),
            ("list the virtual machines of a cluster", "virtnest/vm/list-cluster-v-ms"),
            ("list audit logs", "ghippo/audit/list-audits"),
            ("list image repositories in the registry", "kangaroo/image/api-list-repositories"),
            ("create a redis instance", "mcamel-redis/redis-v1alpha2/create-redis"),
        ];
        let index = Index::new(&crate::table::all_modules());
        let mut found = 0;
        for (task, wanted) in tasks {
            let hits: Vec<String> = index.search(task, 5).iter().map(Hit::id).collect();
            if hits.iter().any(|h| h == wanted) {
                found += 1;
            } else {
                eprintln!("not in the top five for {task:?} ({wanted}): {hits:?}");
            }
        }
        eprintln!("search quality: {found} of {} tasks find their operation in the top five", tasks.len());
        assert!(found * 5 >= tasks.len() * 4, "{found} of {} tasks", tasks.len());
    }
}
