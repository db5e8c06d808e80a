//! A pass over the lowered types: which are carried by requests, and which by responses.
//! A readOnly property is optional in the first, a writeOnly one in the second.

use crate::ir::*;

/// Marks every type reachable from a request body, and from a response body.
pub(super) fn mark(types: &mut [TypeDef], operations: &[Operation]) {
    let bodies = |content: &[Content], out: &mut Vec<TypeId>| {
        for c in content {
            if let Some(ty) = c.body.type_ref() {
                out.extend(ty.innermost().direct());
            }
        }
    };
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    for op in operations {
        if let Some(body) = &op.request_body {
            bodies(&body.content, &mut requests);
        }
        for response in &op.responses {
            bodies(&response.content, &mut responses);
        }
    }
    for (roots, request) in [(requests, true), (responses, false)] {
        let mut stack = roots;
        while let Some(id) = stack.pop() {
            let def = &mut types[id.0];
            let seen = if request {
                &mut def.in_request
            } else {
                &mut def.in_response
            };
            if *seen {
                continue;
            }
            *seen = true;
            let refs = def.kind.refs();
            stack.extend(
                refs.into_iter()
                    .filter_map(|(_, ty)| ty.innermost().direct()),
            );
        }
    }
}
