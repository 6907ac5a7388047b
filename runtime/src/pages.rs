//! Pagination: every page, or every item, of a list operation.
//!
//! A list operation takes a page number and a page size and answers with
//! the page's items and the total. The generated `<operation>_pages`
//! methods return [`Pages`], which asks for page 1, 2, 3... with the
//! caller's other parameters unchanged, and stops after the page that
//! reaches the total, on an empty page (so a server that miscounts cannot
//! loop it forever), or after an error (which is handed to the caller;
//! nothing is skipped).

use std::fmt;
use std::pin::Pin;

use futures_util::stream::{self, Stream, StreamExt};

use crate::{Call, Error};

/// An answer that holds one page of a list.
pub trait Page {
    /// What the list holds.
    type Item;

    /// The page's items.
    fn into_items(self) -> Vec<Self::Item>;

    /// How many items there are over all pages, when the answer says.
    fn total(&self) -> Option<u64>;

    /// How many items this page holds.
    fn len(&self) -> usize;

    /// Whether this page holds no item.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One page on its way.
type PageFuture<'a, P> = Pin<Box<dyn Future<Output = Result<P, Error>> + Send + 'a>>;

/// The pages of a list operation, fetched one at a time as they are asked
/// for: [`next_page`](Self::next_page) for whole pages, [`items`](Self::items)
/// for a `Stream` of items, [`collect`](Self::collect) for all of them.
pub struct Pages<'a, P> {
    fetch: Box<dyn Fn(i32) -> PageFuture<'a, P> + Send + Sync + 'a>,
    next: i32,
    seen: u64,
    done: bool,
}

impl<P> fmt::Debug for Pages<'_, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").field("next", &self.next).field("seen", &self.seen).field("done", &self.done).finish()
    }
}

impl<'a, P: Page + Send + 'a> Pages<'a, P>
where
    P::Item: Send + 'a,
{
    /// Pages fetched by `fetch(page_number)`, from page 1. Called by
    /// generated code.
    pub fn new(fetch: impl Fn(i32) -> Call<'a, P> + Send + Sync + 'a) -> Self {
        Self::from_fn(move |page| Box::pin(fetch(page)))
    }

    /// Pages fetched by any future per page number, from page 1: for
    /// callers that read a page their own way (the command line keeps each
    /// page as the server sent it).
    pub fn from_fn(fetch: impl Fn(i32) -> PageFuture<'a, P> + Send + Sync + 'a) -> Self {
        Self { fetch: Box::new(fetch), next: 1, seen: 0, done: false }
    }

    /// The next page, or `None` once the list is done. An error ends the
    /// list after it is returned.
    pub async fn next_page(&mut self) -> Option<Result<P, Error>> {
        if self.done {
            return None;
        }
        let page = match (self.fetch)(self.next).await {
            Ok(page) => page,
            Err(error) => {
                self.done = true;
                return Some(Err(error));
            }
        };
        self.next = self.next.saturating_add(1);
        self.seen += page.len() as u64;
        let total_reached = page.total().is_some_and(|total| self.seen >= total);
        if page.is_empty() || total_reached || self.next == i32::MAX {
            self.done = true;
        }
        Some(Ok(page))
    }

    /// Every item of every page, in order; an error is the stream's last
    /// element.
    pub fn items(self) -> Pin<Box<dyn Stream<Item = Result<P::Item, Error>> + Send + 'a>> {
        let pages = stream::unfold(self, |mut pages| async move {
            let page = pages.next_page().await?;
            Some((page, pages))
        });
        Box::pin(pages.flat_map(|page| match page {
            Ok(page) => stream::iter(page.into_items().into_iter().map(Ok)).left_stream(),
            Err(error) => stream::iter(vec![Err(error)]).right_stream(),
        }))
    }

    /// Every item of every page, or the first error.
    pub async fn collect(mut self) -> Result<Vec<P::Item>, Error> {
        let mut out = Vec::new();
        while let Some(page) = self.next_page().await {
            out.extend(page?.into_items());
        }
        Ok(out)
    }
}
