//! Finding operations from a task in plain words ("list the users",
//! "delete a cluster's namespace"): BM25 over each operation's words
//! (its name, tag and module, weighted up; its summary, description and
//! path), with light stemming and a few synonyms for the verbs people use.

use std::collections::HashMap;

use crate::table::{Method, ModuleTable, Operation, Tag};

/// One operation found, with where it lives.
pub struct Hit {
    /// Its module.
    pub module: &'static ModuleTable,
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
    module: &'static ModuleTable,
    tag: &'static Tag,
    op: &'static Operation,
    /// The verb its name starts with, if it is one of [`ACTIONS`].
    verb: Option<&'static str>,
    /// Word -> weighted count.
    words: HashMap<String, f64>,
    len: f64,
}

/// Words that say nothing about which operation is meant.
const STOP: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "in",
    "on",
    "for",
    "to",
    "from",
    "by",
    "with",
    "and",
    "or",
    "my",
    "me",
    "i",
    "all",
    "its",
    "it",
    "is",
    "are",
    "be",
    "this",
    "that",
    "which",
    "what",
    "how",
    "do",
    "does",
    "please",
    "some",
    "any",
    "into",
    "at",
    "as",
    "via",
    "using",
    "one",
    "api",
    "apis",
    "io",
    "v1alpha1",
    "v1alpha2",
    "v1alpha3",
    "v1beta1",
    "v1",
    "v2",
    "v3",
    "who",
    "there",
    "exist",
    "available",
    "every",
    "each",
    "have",
    "has",
    "can",
    "own",
    "no",
    "longer",
    "need",
    "right",
    "now",
    "currently",
    "deployed",
    "defined",
    "stuck",
    "hang",
    "hangs",
    "am",
    "logged",
    "did",
    "so",
    "up",
    "off",
    "down",
    "away",
    "when",
    "much",
];

/// Phrases people use, rewritten to the API's words before the text is
/// split into words.
const PHRASES: &[(&str, &str)] = &[
    ("get rid of", "delete"),
    ("take down", "delete"),
    ("tear down", "delete"),
    ("throw away", "delete"),
    ("set up", "create"),
    ("spin up", "create"),
    ("back up", "create backup"),
    ("shut down", "stop"),
    ("power off", "stop running"),
    ("turn off", "stop"),
    ("power on", "start running"),
    ("turn on", "start"),
    ("kick off", "start"),
    ("top up", "recharge"),
    ("who am i", "current user account"),
    ("how much", "fee"),
];

/// The verbs an operation's name starts with, as [`canonical`] spells
/// them: a task's verb is matched against the operation's, not counted
/// as one more word.
const ACTIONS: &[&str] = &[
    "list", "get", "create", "delete", "update", "start", "stop", "restart", "renew", "recharge", "upgrade",
    "activate", "export", "import",
];

/// Verbs people use for the ones the API uses, and nouns for the API's
/// nouns. A few words stand for two (`image`: Harbor calls an image a
/// repository).
fn canonical(word: &str) -> &[&str] {
    match word {
        "remove" | "del" | "destroy" | "drop" | "erase" | "kill" | "revoke" => &["delete"],
        "add" | "new" | "make" | "provision" | "install" | "deploy" | "submit" | "upload" | "register" | "connect"
        | "issue" | "put" | "rent" => &["create"],
        "fetch" | "read" | "retrieve" | "detail" | "details" | "describe" | "info" | "download" | "gets" => &["get"],
        "show" | "see" | "view" | "display" => &["show"],
        "enumerate" | "browse" | "find" | "search" | "query" => &["list"],
        "modify" | "change" | "edit" | "set" | "patch" | "rename" => &["update"],
        "launch" | "run" | "begin" | "boot" | "resume" => &["start"],
        "halt" | "shutdown" | "pause" | "suspend" | "terminate" | "cancel" => &["stop"],
        "extend" | "lease" => &["renew"],
        "redeem" => &["activate"],
        "ns" => &["namespace"],
        "vm" | "vms" | "virtual" | "machine" | "virtualmachine" => &["vm"],
        "kubeconfig" => &["kube", "config"],
        "image" => &["image", "repository"],
        // An installed chart is a release.
        "chart" => &["chart", "release"],
        "key" => &["key", "token"],
        "serving" => &["service"],
        "jupyter" => &["notebook"],
        "fire" | "fires" | "firing" => &["alert"],
        "notify" | "notified" | "notification" => &["receiver"],
        "trail" => &["audit"],
        "cost" | "spend" | "spent" | "price" | "expense" => &["fee"],
        _ => &[],
    }
}

/// What users call each module beyond its name and title, counted as
/// words of each of its operations.
fn module_words(module: &str) -> &'static str {
    match module {
        "amamba" => "pipeline ci cd jenkins application gitops",
        "baize" => "ai training job notebook dataset gpu",
        "ghippo" => "user account workspace role permission audit login platform",
        "gmagpie" => "cost fee report usage",
        "hydra" => "model serving inference llm",
        "insight" => "monitoring alert log trace metric",
        "kairship" => "multicloud karmada",
        "kangaroo" => "image registry harbor docker",
        "kant" => "edge kubeedge device",
        "kpanda" => "kubernetes cluster",
        "leopard" => "money wallet balance payment invoice cost",
        "mspider" => "istio mesh sidecar",
        "skoala" => "microservice gateway nacos sentinel",
        "spidernet" => "network ip pool egress",
        "topohub" => "hardware bare metal host server",
        "virtnest" => "vm kubevirt",
        "zestu" => "rent gpu compute container instance",
        name if name.starts_with("mcamel-") => "middleware database",
        _ => "",
    }
}

/// Lower-case words of `text`, split at anything not alphanumeric and at
/// lower-to-upper case changes, stemmed and canonical. Each word comes
/// with whether it was written as a plural.
fn split(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    let flush = |word: &mut String, out: &mut Vec<(String, bool)>| {
        if word.chars().count() > 1 {
            let lower = word.to_lowercase();
            let lower = lower.trim_end_matches("'s").trim_matches('\'');
            let stemmed = stem(lower);
            let plural = is_plural(lower, &stemmed);
            if !STOP.contains(&lower) && !STOP.contains(&stemmed.as_str()) {
                // `serving` is a word of its own, not `serv` + `ing`.
                match (canonical(lower), canonical(&stemmed)) {
                    ([], []) => out.push((stemmed, plural)),
                    ([], many) | (many, _) => out.extend(many.iter().map(|w| ((*w).to_owned(), plural))),
                }
            }
        }
        word.clear();
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

/// The words of `text`, as [`split`] gives them.
fn words(text: &str) -> Vec<String> {
    split(text).into_iter().map(|(word, _)| word).collect()
}

/// Whether `word` (before stemming) names more than one thing.
fn is_plural(word: &str, stemmed: &str) -> bool {
    word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && stemmed != word
}

/// Plural and verb endings off: `clusters` -> `cluster`, `policies` ->
/// `policy`, `listing` -> `list`.
fn stem(word: &str) -> String {
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

/// What a task asks for: the verbs that fit it (none when it names none)
/// and the other words.
struct Task {
    verbs: Vec<&'static str>,
    terms: Vec<String>,
}

impl Task {
    fn parse(text: &str) -> Self {
        let mut text = format!(" {} ", text.to_lowercase());
        for (phrase, meaning) in PHRASES {
            text = text.replace(&format!(" {phrase} "), &format!(" {meaning} "));
        }
        let asks_which = ["which", "what", "who"].iter().any(|w| text.starts_with(&format!(" {w} ")));
        let every = [" every ", " each ", " all "].iter().any(|w| text.contains(w));
        let split = split(&text);
        let plural = split.iter().any(|(word, plural)| *plural && !ACTIONS.contains(&word.as_str()));
        let verb = split.iter().map(|(word, _)| word.as_str()).find(|w| ACTIONS.contains(w) || *w == "show");
        let verbs = match verb {
            // "which clusters are there", "every user": a list whatever the verb.
            _ if (asks_which && plural) || every => vec!["list"],
            Some("show") if plural => vec!["list"],
            Some("show") => vec!["get", "list"],
            Some(verb) => ACTIONS.iter().copied().filter(|a| *a == verb).collect(),
            None if asks_which => vec!["get"],
            None => Vec::new(),
        };
        let terms =
            split.into_iter().map(|(word, _)| word).filter(|w| !ACTIONS.contains(&w.as_str()) && w != "show").collect();
        Self { verbs, terms }
    }
}

/// The verb an operation's name starts with (`get-mysql-list` lists; a
/// `GET` named by a noun, such as `balance`, gets).
fn verb_of(op: &Operation) -> Option<&'static str> {
    let words = words(&op.name);
    let first = words.first()?;
    if first == "get" && words.last().is_some_and(|w| w == "list") {
        return Some("list");
    }
    ACTIONS.iter().copied().find(|a| a == first).or((op.method == Method::Get).then_some("get"))
}

impl Index {
    /// Indexes every operation of `modules`.
    pub fn new(modules: &[&'static ModuleTable]) -> Self {
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
                    add(module_words(&module.name), 0.75);
                    add(&op.summary, 1.5);
                    add(&op.description, 0.5);
                    add(&op.path, 0.5);
                    let len = counted.values().sum();
                    docs.push(Doc { module, tag, op, verb: verb_of(op), words: counted, len });
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

    /// The best `limit` operations for `query`, best first: BM25 over the
    /// task's words, scaled down where the operation's verb is not one the
    /// task asks for.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        const K1: f64 = 1.2;
        const B: f64 = 0.75;
        let task = Task::parse(query);
        let n = self.docs.len() as f64;
        let mut hits: Vec<Hit> = self
            .docs
            .iter()
            .filter_map(|doc| {
                let words: f64 = task
                    .terms
                    .iter()
                    .filter_map(|term| {
                        let tf = *doc.words.get(term)?;
                        let df = *self.df.get(term)? as f64;
                        let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                        Some(idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * doc.len / self.average_len)))
                    })
                    .sum();
                let verb = match (task.verbs.is_empty(), doc.verb) {
                    (true, _) => 1.0,
                    (false, Some(verb)) if task.verbs.contains(&verb) => 1.0,
                    // Another verb (`update` for a list) is further off than none (`batch-...`).
                    (false, Some(_)) => 0.55,
                    (false, None) => 0.7,
                };
                let score = words * verb;
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
        assert_eq!(words("ListClusterVMs"), ["list", "cluster", "vm"]);
        assert_eq!(words("/apis/kpanda.io/v1alpha1/clusters/{cluster}"), ["kpanda", "cluster", "cluster"]);
    }

    /// Tasks in users' words (`cli/tests/data/search-tasks.tsv`) and the
    /// operation each means: how many find it among the first five hits is
    /// printed, and must stay at least 90%.
    #[test]
    fn tasks_in_users_words_find_their_operation() {
        let tasks: Vec<(&str, &str)> = include_str!("../tests/data/search-tasks.tsv")
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .map(|line| line.split_once('\t').expect("a task, a tab, an operation"))
            .collect();
        let modules: std::collections::BTreeSet<&str> =
            tasks.iter().map(|(_, wanted)| wanted.split('/').next().unwrap_or_default()).collect();
        assert!(tasks.len() >= 60 && modules.len() >= 12, "{} tasks in {} modules", tasks.len(), modules.len());
        let index = Index::new(&crate::table::all_modules());
        let mut found = 0;
        for (task, wanted) in &tasks {
            let hits: Vec<String> = index.search(task, 5).iter().map(Hit::id).collect();
            // A task some operations answer equally well names them all: `a|b`.
            if hits.iter().any(|h| wanted.split('|').any(|w| w == h)) {
                found += 1;
            } else {
                eprintln!("not in the top five for {task:?} ({wanted}): {hits:?}");
            }
        }
        eprintln!(
            "search quality: {found} of {} tasks ({} modules) find their operation in the top five",
            tasks.len(),
            modules.len()
        );
        assert!(found * 10 >= tasks.len() * 9, "{found} of {} tasks", tasks.len());
    }
}
