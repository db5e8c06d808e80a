//! Streams of items across the pages of page-number paginated operations.
//!
//! A stream fetches one page at a time as it is polled and stops at the last page, which
//! it recognises without relying on `includeCount`: an empty page, a page shorter than
//! the page size, or the total count reached when the server reports one. A server that
//! ignores the page number (the same page again) or never ends is stopped too, so a
//! stream always terminates.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream;

use crate::Error;

/// Every item of a paginated operation, across its pages: what `items()` returns.
///
/// A `Stream` of `Result<T, Error<E>>`, fetching one page at a time as it is polled. It is
/// `Unpin` and `Send`, so `futures_util::TryStreamExt::try_next` and `try_collect` work on
/// it as it is, without pinning it first, and it can move into a spawned task.
#[must_use = "a stream does nothing until it is polled"]
pub struct Items<'a, T, E> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'a>>,
    /// The total the latest page reported; negative until one has.
    total: Arc<AtomicI64>,
}

impl<T, E> Items<'_, T, E> {
    /// The total number of items the server reported with the latest page fetched (its
    /// `totalCount`, say), when it reports one: for progress shown as "120 of 431".
    pub fn total(&self) -> Option<u64> {
        u64::try_from(self.total.load(Ordering::Relaxed)).ok()
    }

    /// A handle on the total that outlives the stream's being moved, for the command
    /// line's progress.
    #[allow(dead_code, reason = "only the command line reads it")]
    pub(crate) fn total_handle(&self) -> Arc<AtomicI64> {
        Arc::clone(&self.total)
    }
}

impl<T, E> Stream for Items<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T, E> fmt::Debug for Items<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

/// The most pages one stream fetches.
const MAX_PAGES: i64 = 100_000;

/// One page, as the stream needs it.
pub(crate) struct Page<T> {
    pub items: Vec<T>,
    /// The total number of items, when the server reports it.
    pub total: Option<i64>,
}

struct State<F, T> {
    fetch: F,
    page: i64,
    first_page: i64,
    page_size: Option<i64>,
    seen: i64,
    /// The first and last items of the previous page, to notice a repeated page.
    previous: Option<(T, T)>,
    done: bool,
    total: Arc<AtomicI64>,
}

/// Every item of every page from `first_page` on. `page_size` is the size the server
/// uses (the caller's or the spec's default), when known.
pub(crate) fn items<'a, T, E, F, Fut>(
    first_page: i64,
    page_size: Option<i64>,
    fetch: F,
) -> Items<'a, T, E>
where
    T: Clone + PartialEq + Send + 'a,
    E: Send + 'a,
    F: FnMut(i64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T>, Error<E>>> + Send + 'a,
{
    let total = Arc::new(AtomicI64::new(-1));
    let state = State {
        total: Arc::clone(&total),
        fetch,
        page: first_page,
        first_page,
        page_size,
        seen: 0,
        previous: None,
        done: false,
    };
    let stream = stream::unfold(state, |mut state| async move {
        if state.done {
            return None;
        }
        let page = match (state.fetch)(state.page).await {
            Ok(page) => page,
            Err(error) => {
                state.done = true;
                return Some((vec![Err(error)], state));
            }
        };
        let (Some(first), Some(last)) = (page.items.first(), page.items.last()) else {
            return None;
        };
        let ends = (first.clone(), last.clone());
        if state.previous.as_ref() == Some(&ends) {
            tracing::warn!(
                page = state.page,
                "the server returned the previous page again; stopping"
            );
            return None;
        }
        if let Some(total) = page.total {
            state.total.store(total, Ordering::Relaxed);
        }
        let count = page.items.len() as i64;
        state.seen += count;
        let short = state.page_size.is_some_and(|size| count < size);
        let complete = page.total.is_some_and(|total| state.seen >= total);
        let exhausted = state.page - state.first_page + 1 >= MAX_PAGES;
        if exhausted {
            tracing::warn!(
                pages = MAX_PAGES,
                "pagination stopped after the most pages allowed"
            );
        }
        state.done = short || complete || exhausted;
        state.previous = Some(ends);
        state.page += 1;
        Some((page.items.into_iter().map(Ok).collect::<Vec<_>>(), state))
    })
    .flat_map(stream::iter);
    Items {
        inner: Box::pin(stream),
        total,
    }
}
