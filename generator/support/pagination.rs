//! Streams of items across the pages of page-number paginated operations.
//!
//! A stream fetches one page at a time as it is polled and stops at the last page, which
//! it recognises without relying on `includeCount`: an empty page, a page shorter than
//! the page size, or the total count reached when the server reports one. A server that
//! ignores the page number (the same page again) or never ends is stopped too, so a
//! stream always terminates.

use std::future::Future;

use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream;

use crate::Error;

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
}

/// Every item of every page from `first_page` on. `page_size` is the size the server
/// uses (the caller's or the spec's default), when known.
pub(crate) fn items<T, E, F, Fut>(
    first_page: i64,
    page_size: Option<i64>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error<E>>>
where
    T: Clone + PartialEq,
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error<E>>>,
{
    let state = State {
        fetch,
        page: first_page,
        first_page,
        page_size,
        seen: 0,
        previous: None,
        done: false,
    };
    stream::unfold(state, |mut state| async move {
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
    .flat_map(stream::iter)
}
