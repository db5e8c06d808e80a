//! A pass over the lowered types: the fields that close a reference cycle get a `Box`.

use crate::ir::*;

/// Marks the struct fields that close a reference cycle, so the emitter boxes exactly
/// those: a depth-first walk in type order, where an edge back to a type still on the
/// walk's stack is the one that closes the cycle. `Vec`, maps and union variants (which
/// the emitter boxes itself) already add indirection, so only direct references from
/// fields and aliases count as edges.
pub(super) fn mark(types: &mut [TypeDef]) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnStack,
        Done,
    }
    fn edges(def: &TypeDef) -> Vec<(Slot, TypeId)> {
        def.kind
            .refs()
            .into_iter()
            .filter(|(slot, _)| matches!(slot, Slot::Field(_) | Slot::Alias))
            .filter_map(|(slot, ty)| Some((slot, ty.direct()?)))
            .collect()
    }
    let mut state = vec![State::New; types.len()];
    let mut boxed = Vec::new();
    for root in 0..types.len() {
        if state[root] != State::New {
            continue;
        }
        // An explicit stack of (type, its edges, next edge) avoids recursion depth limits.
        let mut stack = vec![(root, edges(&types[root]), 0usize)];
        state[root] = State::OnStack;
        while let Some((node, node_edges, next)) = stack.last_mut() {
            if let Some(&(slot, target)) = node_edges.get(*next) {
                *next += 1;
                let node = *node;
                match state[target.0] {
                    State::OnStack => boxed.push((node, slot)),
                    State::New => {
                        state[target.0] = State::OnStack;
                        let target_edges = edges(&types[target.0]);
                        stack.push((target.0, target_edges, 0));
                    }
                    State::Done => {}
                }
            } else {
                state[*node] = State::Done;
                stack.pop();
            }
        }
    }
    for (node, slot) in boxed {
        if let (TypeKind::Struct(s), Slot::Field(field)) = (&mut types[node].kind, slot) {
            if let Some(field) = s.fields.get_mut(field) {
                field.boxed = true;
            }
        }
    }
}
